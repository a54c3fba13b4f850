package io.nacgw.nacapi;

/**
 * API counters since start, for the metrics endpoint.
 *
 * @param requests          requests answered (any status)
 * @param errors4xx         answers with a 4xx status
 * @param errors5xx         answers with a 5xx status
 * @param authFailures      requests refused with 401, 403 or 429
 * @param shed              requests refused because the server was busy (503)
 * @param iseListings       ISE listing pages served
 * @param iseBatches        ISE batch queries served
 * @param iseActions        ISE action requests (always refused in-band)
 * @param iseDevices        device elements written to ISE
 * @param lookups           JSON lookups and batch decisions
 * @param ingested          device records committed by the ingest API (inserted or updated)
 * @param staleUpdates      ingested records ignored as older than the stored one
 * @param bulkRequests      bulk NDJSON requests started
 * @param bulkCutOff        bulk requests whose client went away before the end
 * @param slowClientsClosed connections closed for sending a request too slowly or idling too long
 */
public record ApiStats(long requests, long errors4xx, long errors5xx, long authFailures, long shed, long iseListings,
                       long iseBatches, long iseActions, long iseDevices, long lookups, long ingested,
                       long staleUpdates, long bulkRequests, long bulkCutOff, long slowClientsClosed) {
}
