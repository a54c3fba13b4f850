/**
 * Device files: JSON lines in the API's device format ({@link io.nacgw.nacapi.json.DeviceJson}), CSV with the same column
 * names, and the streaming {@link io.nacgw.gateway.imports.DeviceImporter}.
 */
package io.nacgw.gateway.imports;
