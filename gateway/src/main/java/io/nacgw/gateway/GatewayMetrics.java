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
import io.nacgw.nacapi.server.ApiServer;
import io.nacgw.radius.DecisionStats;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.bootstrap.RadiusServer;
import io.nacgw.radius.coa.CoaResult;
import io.nacgw.radius.coa.CoaSender;
import io.nacgw.radius.coa.SessionReauthorizer;
import io.nacgw.radius.eap.EapStats;
import io.nacgw.sync.SyncService;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The gateway's Prometheus metrics: index counters, sync status, decisions, latencies and JVM health. Counters are
 * read from the components' own stats when scraped, and latency timers are registered before traffic, so the request
 * paths pay no registry lookup and no allocation for metrics.
 */
final class GatewayMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    GatewayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** The registry, for the console's overview (read, never registered into from outside). */
    io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    /** The console's decision feed: what its live streams lost to slow browsers, and how many are open. */
    void bindConsole(io.nacgw.nacapi.console.DecisionFeed feed) {
        counter("nacgw_console_stream_dropped", feed, io.nacgw.nacapi.console.DecisionFeed::dropped,
                "Decisions a console live stream lost because its browser fell behind");
        Gauge.builder("nacgw_console_stream_subscribers", feed, f -> f.subscribers())
                .description("Console live decision streams open").register(registry);
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

    void bindCluster(io.nacgw.core.cluster.ClusterRole role) {
        Gauge.builder("nacgw_cluster_leader", role, r -> r.isLeader() ? 1 : 0)
                .description("1 while this node is the sync leader (always on the embedded store)").register(registry);
        Gauge.builder("nacgw_cluster_leader_known", role, r -> r.leaderName().isPresent() ? 1 : 0)
                .description("1 while this node knows which node leads (0: none, e.g. the store is unreachable)")
                .register(registry);
    }

    void bindChangeLog(io.nacgw.core.service.ChangeLogFollower log) {
        Gauge.builder("nacgw_changelog_lag_sequence", log, l -> l.stats().behind())
                .description("Changes in the shared change log after the last one this node applied (as of its last read)")
                .register(registry);
        Gauge.builder("nacgw_changelog_lag_seconds", log, l -> l.stats().lag().toMillis() / 1000.0)
                .description("Seconds since this node last had applied every change in the log").register(registry);
        Gauge.builder("nacgw_changelog_last_sequence", log, l -> l.stats().lastSequence())
                .description("The last change-log sequence applied").register(registry);
        Gauge.builder("nacgw_changelog_connected", log, l -> l.stats().connected() ? 1 : 0)
                .description("1 while the change-log connection is open").register(registry);
        counter("nacgw_changelog_applied", log, l -> l.stats().applied(), "Device changes applied from the change log");
        counter("nacgw_changelog_reconnects", log, l -> l.stats().reconnects(), "Change-log connection re-established");
        counter("nacgw_changelog_reloads", log, l -> l.stats().reloads(),
                "Every device re-read instead of applying the log (pruned past this node, or too far behind)");
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
        counter("nacgw_radius_accepts", radius, r -> r.stats().allowed(),
                "Access-Accepts for allowed devices (quarantines not included: see nacgw_radius_quarantines)");
        counter("nacgw_radius_access_accepts", radius, r -> r.stats().accepts(),
                "Every Access-Accept sent, quarantines included");
        counter("nacgw_radius_quarantines", radius, r -> r.stats().quarantines(), "Access-Accepts with quarantine attributes");
        counter("nacgw_radius_rejects", radius, r -> r.stats().rejects(), "Access-Rejects");
        counter("nacgw_radius_accounting_stored", radius, r -> r.stats().accountingStored(), "Accounting records stored");
        counter("nacgw_radius_receive_queue_drops", radius, RadiusServer::receiveQueueDrops,
                "Datagrams the kernel dropped because a receive buffer (sized by radius.maxQueueDelay) was full");
        counter("nacgw_radius_status_server", radius, r -> r.stats().statusServer(), "Status-Server requests answered");
        counter("nacgw_radius_duplicates_resent", radius, r -> r.stats().duplicatesResent(), "Retransmissions answered from the duplicate cache");
        counter("nacgw_radius_audit_dropped", radius, r -> r.stats().auditDropped(), "Audit events dropped (queue full)");
        counter("nacgw_radius_accept_sessions_recorded", radius, r -> r.stats().acceptsRecorded(),
                "Access-Accepts recorded as sessions");
        counter("nacgw_radius_accept_sessions_dropped", radius, r -> r.stats().acceptsUnrecorded(),
                "Access-Accepts not recorded as sessions (radius.sessionQueue full or the write failed)");
        counter("nacgw_radius_accept_session_writes", radius, r -> r.stats().acceptWrites(),
                "Session-table transactions of the Access-Accept recorder");
        counter("nacgw_radius_accept_sessions_written", radius, r -> r.stats().acceptsWritten(),
                "Access-Accepts written in those transactions (per write: the mean batch)");
        FunctionCounter.builder("nacgw_radius_accept_recorder_paused_seconds", radius,
                        r -> r.stats().acceptWriterPausedNanos() / 1e9)
                .description("Time the Access-Accept recorder paused to leave the CPU to answering while the RADIUS "
                        + "ports were saturated (shedding, or a backlog in their sockets)").register(registry);
        for (DropReason reason : DropReason.values()) {
            if (reason.coa()) {
                continue; // the CoA sender's own counters (bindCoa)
            }
            FunctionCounter.builder("nacgw_radius_dropped", radius, r -> r.stats().drops(reason))
                    .tag("reason", reason.wireName()).description("Datagrams dropped, by reason").register(registry);
        }
    }

    /**
     * Per upstream (tags pool, upstream): traffic, answers, health and the round-trip latency; per pool: requests no
     * upstream answered.
     */
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
            Timer latency = latencyTimer("nacgw_proxy_upstream_latency",
                    "Access-Request round trip to the upstream, from the first send (retransmissions included) to its answer",
                    "pool", u.pool(), "upstream", name);
            proxy.onLatency(name, n -> latency.record(n, TimeUnit.NANOSECONDS));
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

    void bindRadSec(io.nacgw.radius.radsec.RadSecServer radsec) {
        counter("nacgw_radsec_connections_accepted", radsec, r -> r.stats().accepted(), "RadSec TCP connections accepted");
        counter("nacgw_radsec_connections_established", radsec, r -> r.stats().established(),
                "RadSec connections whose TLS handshake completed and whose NAS was found");
        gauge("nacgw_radsec_connections_open", radsec, r -> r.stats().open(), "RadSec connections open");
        counter("nacgw_radsec_packets", radsec, r -> r.stats().packets(), "Packets read from RadSec connections");
        gauge("nacgw_radsec_requests_in_flight", radsec, r -> r.stats().inFlight(),
                "RadSec requests read and not yet answered, over all connections");
        counter("nacgw_radsec_reads_paused", radsec, r -> r.stats().readsPaused(), "Times a RadSec connection's reading "
                + "was paused: radius.radsec.maxInFlightPerConnection or maxInFlight reached, or its replies backing up");
        counter("nacgw_radsec_truncated", radsec, r -> r.stats().truncated(),
                "RadSec connections that ended in the middle of a packet");
        for (io.nacgw.radius.radsec.Refusal reason : io.nacgw.radius.radsec.Refusal.values()) {
            FunctionCounter.builder("nacgw_radsec_refused", radsec, r -> r.stats().refusals(reason))
                    .tag("reason", reason.wireName())
                    .description("RadSec connections refused before their first packet, by reason").register(registry);
        }
        for (io.nacgw.radius.radsec.CloseReason reason : io.nacgw.radius.radsec.CloseReason.values()) {
            FunctionCounter.builder("nacgw_radsec_closed", radsec, r -> r.stats().closes(reason))
                    .tag("reason", reason.wireName())
                    .description("RadSec connections closed by nacgw, by reason").register(registry);
        }
        for (String reason : io.nacgw.certs.TlsFailures.REASONS) {
            FunctionCounter.builder("nacgw_tls_handshake_failures", radsec, r -> r.stats().tlsFailures(reason))
                    .tags("transport", "radsec", "reason", reason)
                    .description("Failed TLS handshakes, by transport and reason").register(registry);
        }
    }

    /** Bucket bounds every request timer has for sure (besides the percentile histogram's own). */
    private static final Duration[] SLOS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1)};

    private Timer latencyTimer(String name, String description, String... tags) {
        // a Prometheus histogram: percentiles come from histogram_quantile() over its buckets, across nodes too
        return Timer.builder(name).description(description).tags(tags).publishPercentileHistogram()
                .serviceLevelObjectives(SLOS).register(registry);
    }

    /**
     * Decisions by NAS client, profile and reason code, each client's last request, EAP-TLS failures and the
     * Access-Request latency. Every series is registered here, before traffic: the request path only bumps
     * counters the radius module owns. Call again after a reload ({@link #bindDecisionTallies}).
     */
    void bindDecisions(RadiusServer radius) {
        DecisionStats d = radius.decisions();
        Timer t = latencyTimer("nacgw_radius_request", "Access-Request latency, from the datagram read to the answer");
        d.onLatency(n -> t.record(n, TimeUnit.NANOSECONDS));
        for (String reason : DecisionStats.REASONS) {
            FunctionCounter.builder("nacgw_radius_decision_reasons", d, s -> s.reason(reason)).tag("reason", reason)
                    .description("Access decisions carrying this reason code (a decision can carry several)")
                    .register(registry);
        }
        for (String reason : DecisionStats.EAP_TLS_FAILURES) {
            FunctionCounter.builder("nacgw_tls_handshake_failures", d, s -> s.eapTlsFailures(reason))
                    .tags("transport", "eap-tls", "reason", reason)
                    .description("Failed TLS handshakes, by transport and reason").register(registry);
        }
        bindDecisionTallies(d);
    }

    /** Series for every configured client and profile (idempotent; new names after a reload get theirs). */
    void bindDecisionTallies(DecisionStats d) {
        for (String client : d.clientNames()) {
            DecisionStats.Tally tally = d.client(client);
            verdicts("nacgw_radius_client_decisions", "client", client, tally,
                    "Access decisions by NAS client (radius.clients) and verdict");
            Gauge.builder("nacgw_radius_client_last_request_seconds", tally, x -> x.lastRequestMillis() / 1000.0)
                    .tag("client", client).description("Unix time of the NAS client's last request (0: none since start)")
                    .register(registry);
        }
        for (String profile : d.profileNames()) {
            verdicts("nacgw_radius_profile_decisions", "profile", profile, d.profile(profile),
                    "Access decisions by policy profile and verdict");
        }
    }

    private void verdicts(String name, String label, String value, DecisionStats.Tally tally, String description) {
        for (String verdict : DecisionStats.VERDICTS) {
            FunctionCounter.builder(name, tally, x -> x.count(verdict)).tags(label, value, "verdict", verdict)
                    .description(description).register(registry);
        }
    }

    /** Build version and commit, as a constant 1 with labels (the Prometheus build_info convention). */
    void bindBuildInfo(String version, String commit) {
        // a Prometheus info metric (exposed as nacgw_build_info 1): Micrometer has no info type, the registry does
        io.prometheus.metrics.core.metrics.Info.builder().name("nacgw_build").help("The running build: version and commit")
                .labelNames("version", "commit").register(registry.getPrometheusRegistry())
                .addLabelValues(version, commit);
    }

    /** The store wrapped so that each write and read is timed. */
    io.nacgw.core.store.ComplianceStore timed(io.nacgw.core.store.ComplianceStore store) {
        return new TimedComplianceStore(store,
                latencyTimer("nacgw_store_write", "Store writes (upserts, deletes), from call to commit"),
                latencyTimer("nacgw_store_read", "Store reads (lookups, pages, counts)"));
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
        counter("nacgw_eap_tls_resumed_by_ticket", radius, r -> r.eapStats().tlsResumedByTicket(),
                "Resumed EAP-TLS handshakes whose session came from a TLS 1.2 session ticket (of nacgw_eap_tls_resumed)");
        counter("nacgw_eap_tls_tickets_issued", radius, r -> r.eapStats().ticketsIssued(), "TLS 1.2 session tickets issued");
        counter("nacgw_eap_tls_tickets_not_issued", radius, r -> r.eapStats().ticketsNotIssued(),
                "Session tickets sent empty: the session's client chain would not fit a ticket");
        ticketRefusals(radius, "unknown_key", EapStats::ticketsUnknownKey);
        ticketRefusals(radius, "invalid", EapStats::ticketsInvalid);
        ticketRefusals(radius, "expired", EapStats::ticketsExpired);
        counter("nacgw_eap_crl_fetch_failures", radius, r -> r.eapStats().crlFetchFailures(), "Failed fetches of radius.eap.tls.crlUrls");
        counter("nacgw_eap_ocsp_good", radius, r -> r.eapStats().ocspGood(), "OCSP statuses of client certificates: good");
        counter("nacgw_eap_ocsp_revoked", radius, r -> r.eapStats().ocspRevoked(), "OCSP statuses of client certificates: revoked");
        counter("nacgw_eap_ocsp_unknown", radius, r -> r.eapStats().ocspUnknown(), "OCSP statuses of client certificates: unknown to the responder");
        counter("nacgw_eap_ocsp_unavailable", radius, r -> r.eapStats().ocspUnavailable(), "OCSP statuses not obtained (responder down, bad answer, no URL)");
        counter("nacgw_eap_ocsp_requests", radius, r -> r.eapStats().ocspRequests(), "HTTP requests sent to OCSP responders");
        gauge("nacgw_eap_conversations", radius, r -> r.eapStats().conversations(), "EAP conversations held");
        gauge("nacgw_eap_tls_sessions_cached", radius, r -> r.eapStats().tlsSessionsCached(),
                "TLS sessions held for resumption");
    }

    private void ticketRefusals(RadiusServer radius, String reason, ToLongFunction<EapStats> count) {
        FunctionCounter.builder("nacgw_eap_tls_tickets_refused", radius, r -> count.applyAsLong(r.eapStats()))
                .tag("reason", reason)
                .description("Session tickets presented and not used (a full handshake followed), by reason")
                .register(registry);
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
        counter("nacgw_coa_no_connection", coa, c -> c.stats().noConnection(),
                "CoA not sent: the session came over RadSec and its NAS has no TLS connection open");
        counter("nacgw_coa_bad_replies", coa, c -> c.stats().badReplies(), "Datagrams at the CoA socket dropped (unexpected, bad authenticator)");
        gauge("nacgw_coa_queue_depth", coa, c -> c.stats().queued(), "CoA requests waiting to be sent");
        gauge("nacgw_coa_outstanding", coa, c -> c.stats().outstanding(), "CoA requests awaiting an answer");
        counter("nacgw_coa_trigger_changes", trigger, t -> t.stats().changes(), "Device changes checked for live sessions");
        counter("nacgw_coa_trigger_unchanged", trigger, t -> t.stats().unchanged(), "Live sessions whose decision a change did not alter");
        counter("nacgw_coa_trigger_dropped", trigger, t -> t.stats().dropped(), "Device changes dropped: trigger queue full");
        counter("nacgw_coa_trigger_failed", trigger, t -> t.stats().failed(), "Device changes not checked: session lookup failed");
        counter("nacgw_coa_sessions_closed", trigger, t -> t.stats().sessionsClosed(), "Sessions stopped after a NAK 503");
        gauge("nacgw_coa_trigger_backlog", trigger, t -> t.stats().backlog(), "Device changes waiting to be checked");
        coaLatency = Timer.builder("nacgw_coa_latency").description("From queueing a CoA to the NAS's ACK or NAK")
                .publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .register(registry);
    }

    /** Shared mode: who sent which CoA among the nodes. */
    void bindCoaCoordination(io.nacgw.radius.coa.CoaCoordinator c) {
        counter("nacgw_coa_shared_claimed", c, x -> x.stats().claimed(), "CoA claimed and sent as the session's owner");
        counter("nacgw_coa_shared_lost", c, x -> x.stats().lost(), "CoA another node had claimed first (not sent here)");
        counter("nacgw_coa_shared_deferred", c, x -> x.stats().deferred(), "CoA left to the session's owner node");
        counter("nacgw_coa_shared_owner_handled", c, x -> x.stats().ownerHandled(), "Deferred CoA the owner took care of");
        counter("nacgw_coa_shared_taken_over", c, x -> x.stats().takenOver(), "Deferred CoA sent here: the owner was dead");
        counter("nacgw_coa_shared_abandoned", c, x -> x.stats().abandoned(), "Deferred CoA given up (owner behind too long, too many)");
        counter("nacgw_coa_shared_store_errors", c, x -> x.stats().storeErrors(), "Heartbeats or checks that failed on the store");
        gauge("nacgw_coa_shared_waiting", c, x -> x.stats().waiting(), "Deferred CoA waiting for their owner");
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
        Timer t = latencyTimer("nacgw_api_request", "HTTPS request latency, from the complete request to the answer");
        api.onLatency(n -> t.record(n, TimeUnit.NANOSECONDS));
        for (String reason : api.tlsHandshakeFailures().keySet()) {
            FunctionCounter.builder("nacgw_tls_handshake_failures", api, a -> a.tlsHandshakeFailures().get(reason))
                    .tags("transport", "https", "reason", reason)
                    .description("Failed TLS handshakes, by transport and reason").register(registry);
        }
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
