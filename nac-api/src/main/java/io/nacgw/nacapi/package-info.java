/**
 * The HTTPS NAC partner API: {@link io.nacgw.nacapi.ApiServer} (Cisco ISE MDM API v1-v3 in XML under
 * {@code /ciscoise}, the JSON lookup/decision and ingest API under {@code /api/v1}), the plain-HTTP
 * {@link io.nacgw.nacapi.MetricsServer}, and the shared device JSON format {@link io.nacgw.nacapi.DeviceJson}.
 * Public: settings records, credentials ({@link io.nacgw.nacapi.PasswordHash}, {@link io.nacgw.nacapi.ApiUser}),
 * the two servers and the codec; handlers and writers are package-private.
 */
package io.nacgw.nacapi;
