/**
 * Streaming ingest: {@link io.nacgw.nacapi.ingest.BulkIngestHandler} parses {@code POST /api/v1/devices:bulk}
 * NDJSON as it arrives (never aggregated) and upserts it in batches on the writer pool, pausing reads while a batch
 * commits.
 */
package io.nacgw.nacapi.ingest;
