/**
 * The JSON API under {@code /api/v1} ({@link io.nacgw.nacapi.json.JsonApi}: lookup, decisions, PUT and DELETE of a
 * device, the OpenAPI document) and the device JSON format shared with the bulk stream, the CLI and the importer
 * ({@link io.nacgw.nacapi.json.DeviceJson}).
 */
package io.nacgw.nacapi.json;
