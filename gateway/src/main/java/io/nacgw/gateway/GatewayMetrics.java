package io.nacgw.gateway;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.nacapi.ApiServer;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.RadiusServer;
import io.nacgw.radius.coa.CoaResult;
import io.nacgw.radius.coa.CoaSender;
import io.nacgw.radius.coa.SessionReauthorizer;
import io.nacgw.sync.SyncService;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's Prometheus metrics: index counters, sync status and JVM health. Counters are read from the
 * components' own stats when scraped, so the request paths pay nothing for metrics.
 */
public final class GatewayMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    GatewayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    void bindIndex(ComplianceService svc) {
        Gauge.builder("nacgw_index_devices", svc, s -> s.stats().resident())
                .description("Devices held in the in-memory index").register(registry);
        Gauge.builder("nacgw_index_complete", svc, s -> s.complete() ? 1 : 0)
                .description("1 when every stored device is in memory").register(registry);
        counter("nacgw_index_lookups_hit", svc, s -> s.stats().hits(), "Lookups answered with a device");
        counter("nacgw_index_lookups_miss", svc, s -> s.stats().misses(), "Lookups answered 'unknown device'");
        counter("nacgw_index_store_loads", svc, s -> s.stats().storeLoads(), "Lookups that had to ask the store");
        counter("nacgw_index_overloaded", svc, s -> s.stats().overloaded(), "Lookups refused: loader full");
        counter("nacgw_index_stale_updates", svc, s -> s.stats().staleUpdates(), "Updates ignored as older than stored");
    }

    void bindSync(SyncService sync) {
        Gauge.builder("nacgw_sync_running", sync, s -> s.status().running() ? 1 : 0)
                .description("1 while a sync runs").register(registry);
        Gauge.builder("nacgw_sync_last_success_seconds", sync,
                        s -> s.status().lastSuccess() == null ? 0 : s.status().lastSuccess().getEpochSecond())
                .description("Unix time of the last successful sync (0: none)").register(registry);
        counter("nacgw_sync_runs", sync, s -> s.status().runs(), "Sync runs");
        counter("nacgw_sync_failed_runs", sync, s -> s.status().failedRuns(), "Failed sync runs");
        counter("nacgw_sync_changes_applied", sync, s -> s.status().totalChangesApplied(), "Device changes applied by syncs");
        counter("nacgw_sync_retired", sync, s -> s.status().totalRetired(), "Devices marked retired by full syncs");
        counter("nacgw_sync_warnings", sync, s -> s.status().totalWarnings(), "Data warnings during syncs");
        counter("nacgw_sync_future_timestamps", sync, s -> s.status().totalFutureTimestamps(),
                "Devices seen with a lastSyncDateTime in the future (stored, kept out of the high-water mark)");
        counter("nacgw_sync_clamp_events", sync, s -> s.status().clampEvents(),
                "Sync runs that met a future timestamp or lowered an out-of-range high-water mark");
        Gauge.builder("nacgw_sync_retire_guard", sync, s -> s.status().retireGuard() == null ? 0 : 1)
                .description("1 when the last full sync retired nothing because too many devices were missing")
                .register(registry);
        Gauge.builder("nacgw_sync_retire_guard_candidates", sync,
                        s -> s.status().retireGuard() == null ? 0 : s.status().retireGuard().candidates())
                .description("Devices missing from the listing of the full sync the guard held (0: none held)")
                .register(registry);
        counter("nacgw_sync_retire_guard_events", sync, s -> s.status().retireGuardEvents(),
                "Full syncs whose retiring the guard held back");
        Gauge.builder("nacgw_sync_incremental_overlap_seconds", sync,
                        s -> s.status().incrementalOverlap().toSeconds())
                .description("sync.incrementalOverlap: how far before the high-water mark incrementals ask")
                .register(registry);
    }

    void bindRadius(RadiusServer radius) {
        counter("nacgw_radius_received", radius, r -> r.stats().received(), "RADIUS datagrams received");
        counter("nacgw_radius_accepts", radius, r -> r.stats().accepts(), "Access-Accepts for allowed devices");
        counter("nacgw_radius_quarantines", radius, r -> r.stats().quarantines(), "Access-Accepts with quarantine attributes");
        counter("nacgw_radius_rejects", radius, r -> r.stats().rejects(), "Access-Rejects");
        counter("nacgw_radius_accounting_stored", radius, r -> r.stats().accountingStored(), "Accounting records stored");
        counter("nacgw_radius_status_server", radius, r -> r.stats().statusServer(), "Status-Server requests answered");
        counter("nacgw_radius_duplicates_resent", radius, r -> r.stats().duplicatesResent(), "Retransmissions answered from the duplicate cache");
        counter("nacgw_radius_audit_dropped", radius, r -> r.stats().auditDropped(), "Audit events dropped (queue full)");
        counter("nacgw_radius_accept_sessions_recorded", radius, r -> r.stats().acceptsRecorded(),
                "Access-Accepts recorded as sessions");
        counter("nacgw_radius_accept_sessions_dropped", radius, r -> r.stats().acceptsUnrecorded(),
                "Access-Accepts not recorded as sessions (radius.sessionQueue full or the write failed)");
        for (DropReason reason : DropReason.values()) {
            if (reason.coa()) {
                continue; // the CoA sender's own counters (bindCoa)
            }
            FunctionCounter.builder("nacgw_radius_dropped", radius, r -> r.stats().drops(reason))
                    .tag("reason", reason.wireName()).description("Datagrams dropped, by reason").register(registry);
        }
    }

    /** Per upstream (tags pool, upstream): traffic, answers, health; per pool: requests no upstream answered. */
    void bindProxy(io.nacgw.radius.proxy.RadiusProxy proxy) {
        for (io.nacgw.radius.proxy.UpstreamStats u : proxy.stats()) {
            String name = u.upstream();
            java.util.function.BiConsumer<String, java.util.function.ToDoubleFunction<io.nacgw.radius.proxy.UpstreamStats>>
                    count = (metric, f) -> FunctionCounter.builder(metric, proxy, p -> f.applyAsDouble(p.stats(name)))
                    .tag("pool", u.pool()).tag("upstream", name).description(upstreamHelp(metric)).register(registry);
            count.accept("nacgw_proxy_requests", io.nacgw.radius.proxy.UpstreamStats::requests);
            count.accept("nacgw_proxy_retransmissions", io.nacgw.radius.proxy.UpstreamStats::retransmissions);
            count.accept("nacgw_proxy_timeouts", io.nacgw.radius.proxy.UpstreamStats::timeouts);
            count.accept("nacgw_proxy_accepts", io.nacgw.radius.proxy.UpstreamStats::accepts);
            count.accept("nacgw_proxy_rejects", io.nacgw.radius.proxy.UpstreamStats::rejects);
            count.accept("nacgw_proxy_challenges", io.nacgw.radius.proxy.UpstreamStats::challenges);
            count.accept("nacgw_proxy_bad_replies", io.nacgw.radius.proxy.UpstreamStats::badReplies);
            count.accept("nacgw_proxy_probes", io.nacgw.radius.proxy.UpstreamStats::probes);
            count.accept("nacgw_proxy_probes_answered", io.nacgw.radius.proxy.UpstreamStats::probesAnswered);
            count.accept("nacgw_proxy_accounting_copied", io.nacgw.radius.proxy.UpstreamStats::accountingCopied);
            count.accept("nacgw_proxy_accounting_lost", io.nacgw.radius.proxy.UpstreamStats::accountingLost);
            for (io.nacgw.radius.proxy.UpstreamState st : io.nacgw.radius.proxy.UpstreamState.values()) {
                Gauge.builder("nacgw_proxy_upstream_state", proxy, p -> p.stats(name).state() == st ? 1 : 0)
                        .tag("pool", u.pool()).tag("upstream", name).tag("state", st.wireName())
                        .description("1 for the upstream's health now (alive, zombie, dead)").register(registry);
            }
        }
        for (String pool : proxy.poolNames()) {
            FunctionCounter.builder("nacgw_proxy_pool_failures", proxy, p -> p.failures(pool)).tag("pool", pool)
                    .description("Proxied requests no upstream of the pool answered (answered Access-Reject)")
                    .register(registry);
        }
    }

    private static String upstreamHelp(String metric) {
        switch (metric) {
            case "nacgw_proxy_requests": return "Access-Requests forwarded to the upstream (first transmissions)";
            case "nacgw_proxy_retransmissions": return "Retransmissions to the upstream on nacgw's own timer";
            case "nacgw_proxy_timeouts": return "Requests the upstream never answered (failed over or given up)";
            case "nacgw_proxy_accepts": return "Access-Accepts from the upstream";
            case "nacgw_proxy_rejects": return "Access-Rejects from the upstream";
            case "nacgw_proxy_challenges": return "Access-Challenges from the upstream";
            case "nacgw_proxy_bad_replies": return "Datagrams from the upstream dropped: malformed, unexpected, not authentic";
            case "nacgw_proxy_probes": return "Status-Server probes sent";
            case "nacgw_proxy_probes_answered": return "Status-Server probes answered";
            case "nacgw_proxy_accounting_copied": return "Accounting-Requests copied and acknowledged";
            default: return "Accounting-Requests copied and never acknowledged";
        }
    }

    void bindEap(RadiusServer radius) {
        counter("nacgw_eap_started", radius, r -> r.eapStats().started(), "EAP conversations started");
        counter("nacgw_eap_challenges", radius, r -> r.eapStats().challenges(), "Access-Challenges sent");
        counter("nacgw_eap_authenticated", radius, r -> r.eapStats().authenticated(), "EAP conversations authenticated");
        counter("nacgw_eap_rejected", radius, r -> r.eapStats().rejected(), "EAP conversations rejected with EAP-Failure");
        counter("nacgw_eap_unknown_state", radius, r -> r.eapStats().unknownState(), "EAP requests with an unknown, expired or foreign State");
        counter("nacgw_eap_evicted", radius, r -> r.eapStats().evicted(), "EAP conversations evicted (table full)");
        counter("nacgw_eap_expired", radius, r -> r.eapStats().expired(), "EAP conversations expired (idle)");
        counter("nacgw_eap_tls_full", radius, r -> r.eapStats().tlsFull(), "Full EAP-TLS handshakes");
        counter("nacgw_eap_tls_resumed", radius, r -> r.eapStats().tlsResumed(), "Resumed EAP-TLS handshakes");
        counter("nacgw_eap_crl_fetch_failures", radius, r -> r.eapStats().crlFetchFailures(), "Failed fetches of radius.eap.tls.crlUrls");
        gauge("nacgw_eap_conversations", radius, r -> r.eapStats().conversations(), "EAP conversations held");
        gauge("nacgw_eap_tls_sessions_cached", radius, r -> r.eapStats().tlsSessionsCached(),
                "TLS sessions held for resumption");
    }

    /** Error-Cause values of RFC 5176 §3.5 (0: a NAK without one), pre-registered so every series exists from start. */
    private static final int[] ERROR_CAUSES = {0, 201, 202, 401, 402, 403, 404, 405, 406, 407, 501, 502, 503, 504, 505,
            506, 507, 508};

    void bindCoa(CoaSender coa, SessionReauthorizer trigger) {
        counter("nacgw_coa_sent", coa, c -> c.stats().sent(), "CoA/Disconnect requests sent (retransmissions not included)");
        counter("nacgw_coa_retransmitted", coa, c -> c.stats().retransmitted(), "CoA/Disconnect retransmissions");
        counter("nacgw_coa_acked", coa, c -> c.stats().acked(), "CoA-ACK and Disconnect-ACK received");
        for (int cause : ERROR_CAUSES) {
            FunctionCounter.builder("nacgw_coa_nakked", coa, c -> c.stats().nakked().getOrDefault(cause, 0L))
                    .tag("error_cause", Integer.toString(cause))
                    .description("CoA-NAK and Disconnect-NAK received, by Error-Cause (0: none)").register(registry);
        }
        counter("nacgw_coa_timed_out", coa, c -> c.stats().timedOut(), "CoA/Disconnect given up without a valid answer");
        counter("nacgw_coa_queue_full", coa, c -> c.stats().queueFull(), "CoA refused: sender queue full");
        counter("nacgw_coa_no_client", coa, c -> c.stats().noClient(), "CoA not sent: NAS client not configured");
        counter("nacgw_coa_bad_replies", coa, c -> c.stats().badReplies(), "Datagrams at the CoA socket dropped (unexpected, bad authenticator)");
        gauge("nacgw_coa_queue_depth", coa, c -> c.stats().queued(), "CoA requests waiting to be sent");
        gauge("nacgw_coa_outstanding", coa, c -> c.stats().outstanding(), "CoA requests awaiting an answer");
        counter("nacgw_coa_trigger_changes", trigger, t -> t.stats().changes(), "Device changes checked for live sessions");
        counter("nacgw_coa_trigger_unchanged", trigger, t -> t.stats().unchanged(), "Live sessions whose decision a change did not alter");
        counter("nacgw_coa_trigger_dropped", trigger, t -> t.stats().dropped(), "Device changes dropped: trigger queue full");
        counter("nacgw_coa_sessions_closed", trigger, t -> t.stats().sessionsClosed(), "Sessions stopped after a NAK 503");
        gauge("nacgw_coa_trigger_backlog", trigger, t -> t.stats().backlog(), "Device changes waiting to be checked");
        coaLatency = Timer.builder("nacgw_coa_latency").description("From queueing a CoA to the NAS's ACK or NAK")
                .publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .register(registry);
    }

    private volatile Timer coaLatency;

    /** Records a CoA result (latency of answered requests); called by the CoA sender, must not block. */
    void observeCoa(CoaResult r) {
        Timer t = coaLatency;
        if (t != null && (r.answer() == CoaResult.Answer.ACK || r.answer() == CoaResult.Answer.NAK)) {
            t.record(r.latencyNanos(), TimeUnit.NANOSECONDS);
        }
    }

    void bindApi(ApiServer api) {
        counter("nacgw_api_requests", api, a -> a.stats().requests(), "HTTPS requests");
        counter("nacgw_api_errors_4xx", api, a -> a.stats().errors4xx(), "HTTPS 4xx answers");
        counter("nacgw_api_errors_5xx", api, a -> a.stats().errors5xx(), "HTTPS 5xx answers");
        counter("nacgw_api_auth_failures", api, a -> a.stats().authFailures(), "Failed authentications");
        counter("nacgw_api_shed", api, a -> a.stats().shed(), "Requests shed under load (503)");
        counter("nacgw_api_lookups", api, a -> a.stats().lookups(), "Device lookups (ISE and JSON)");
        counter("nacgw_api_ingested", api, a -> a.stats().ingested(), "Device records ingested");
        counter("nacgw_api_stale_updates", api, a -> a.stats().staleUpdates(), "Ingested updates ignored as stale");
        counter("nacgw_api_bulk_cut_off", api, a -> a.stats().bulkCutOff(), "Bulk uploads cut off mid-stream");
        counter("nacgw_api_slow_clients_closed", api, a -> a.stats().slowClientsClosed(), "Connections closed as too slow");
        bindApiGuards(api);
    }

    private void bindApiGuards(ApiServer api) {
        gauge("nacgw_api_connections_open", api, a -> a.guardStats().connectionsOpen(), "HTTPS connections open");
        counter("nacgw_api_connections_refused", api, a -> a.guardStats().connectionsRefused(),
                "Connections reset on accept: over api.maxConnections or api.maxConnectionsPerAddress");
        counter("nacgw_api_revoked_connections_closed", api, a -> a.guardStats().revokedConnectionsClosed(),
                "Open connections closed because the CRL revoked their client certificate");
        counter("nacgw_api_basic_verifications", api, a -> a.guardStats().basicVerifications(),
                "PBKDF2 verifications of Basic credentials run");
        counter("nacgw_api_basic_coalesced", api, a -> a.guardStats().basicCoalesced(),
                "Basic requests that shared a verification of the same credential");
        counter("nacgw_api_basic_shed", api, a -> a.guardStats().basicShed(),
                "Basic requests with an unverified credential refused: verifier busy");
        for (String reason : api.guardStats().peerErrors().keySet()) {
            FunctionCounter.builder("nacgw_api_peer_errors", api, a -> a.guardStats().peerErrors().get(reason))
                    .tag("reason", reason).description("Peer-triggered failures, by reason").register(registry);
        }
    }

    /** Registers a monotonic counter read from {@code f} at scrape time. */
    public <T> void counter(String name, T obj, ToDoubleFunction<T> f, String description) {
        FunctionCounter.builder(name, obj, f).description(description).register(registry);
    }

    /** Registers a gauge read from {@code f} at scrape time. */
    public <T> void gauge(String name, T obj, ToDoubleFunction<T> f, String description) {
        Gauge.builder(name, obj, f).description(description).register(registry);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
