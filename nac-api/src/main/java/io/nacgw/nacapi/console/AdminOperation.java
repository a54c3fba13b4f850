package io.nacgw.nacapi.console;

import io.nacgw.nacapi.MetricsServer;
import java.util.Map;

/**
 * An admin operation the gateway supplies to the JSON API (sync, certificates, NAS clients, overview): the API
 * routes it, authenticates, and runs it on a worker thread, so it may block briefly (a certificate is signed and
 * written to disk). The same operations back the CLI.
 */
@FunctionalInterface
public interface AdminOperation {
    /** {@code GET /api/v1/overview}: counters, rates' inputs, latency, store and sync health, CoA outcomes. */
    String OVERVIEW = "overview";
    /** {@code GET /api/v1/nas-clients}: configured RADIUS clients with their activity. */
    String NAS_CLIENTS = "nas-clients";
    /** {@code GET /api/v1/sync/status}. */
    String SYNC_STATUS = "sync.status";
    /** {@code POST /api/v1/sync/run?mode=full|incremental}. */
    String SYNC_RUN = "sync.run";
    /** {@code GET /api/v1/certificates}. */
    String CERTS_LIST = "certs.list";
    /** {@code POST /api/v1/certificates} with {@code {"name","role","days","password"}}. */
    String CERTS_ISSUE = "certs.issue";
    /** {@code POST /api/v1/certificates/{serial}:revoke}. */
    String CERTS_REVOKE = "certs.revoke";

    /**
     * Answers with an HTTP status and a JSON body ({@code {"error": ...}} when refused).
     *
     * @param params query parameters (first values) and path variables
     * @param body   the request body (empty for GET)
     */
    MetricsServer.Reply handle(Map<String, String> params, byte[] body);
}
