package io.nacgw.sync;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.nacgw.core.concurrent.DaemonThreads;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.store.UpsertOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** One connector's run logic: page through the inventory, apply each page, retire what a full sync missed. */
final class GraphSync {
    private static final Logger log = LoggerFactory.getLogger(GraphSync.class);
    static final int RETIRE_BATCH = 500;

    private final SyncSettings settings;
    private final ComplianceService compliance;
    private final HttpCaller caller;
    private final TokenSource tokens;
    private final PageParser parser;
    private final Clock clock;

    GraphSync(SyncSettings settings, ComplianceService compliance, HttpCaller caller, TokenSource tokens,
              PageParser parser, Clock clock) {
        this.settings = settings;
        this.compliance = compliance;
        this.caller = caller;
        this.tokens = tokens;
        this.parser = parser;
        this.clock = clock;
    }

    /** Counters of a run in progress; read for the report also when the run fails. */
    static final class RunStats {
        long pages;
        long seen;
        long changes;
        long unchanged;
        long stale;
        long retired;
        long retriesAtStart;
        /** Stored records stamped in the future that this run's newer observation replaced. */
        long futureStampsReplaced;
        /** The inventory's clock at the run's first answer ({@code Date} header), or null. */
        Instant inventoryStart;
        /** The mark this run would have set had it not been clamped to the run's start; null when not clamped. */
        Instant markClampedFrom;
        /** Devices a full sync found missing from its listing (before confirmation). */
        long retireCandidates;
        /** Of those, found by {@code GET managedDevices/{id}}: kept and applied, not retired. */
        long retireConfirmedPresent;
        /** Set when too many devices were missing to retire any. */
        SyncReport.RetireGuard retireGuard;
        final SyncWarnings warnings = new SyncWarnings();
    }

    /** Retries made by the HTTP layer so far (to compute a run's share). */
    long retries() {
        return caller.retries();
    }

    /**
     * Runs a sync; returns the new high-water mark: the newest {@code lastSyncDateTime} seen that is not in the
     * future (a full sync starts afresh and so can lower the mark; an incremental keeps {@code hwm} if nothing was
     * newer), but never later than the run's start on the inventory's clock ({@code Date} header of its first
     * answer), else on ours plus {@link GraphDeviceMapper#SKEW}. An incremental asks for
     * {@code lastSyncDateTime gt hwm - sync.incrementalOverlap}.
     *
     * @throws SyncFailure when the run cannot complete; pages already applied stay applied, nothing is retired
     */
    Instant run(SyncMode mode, Instant hwm, Instant started, RunStats st) {
        String filter = mode == SyncMode.INCREMENTAL ? "lastSyncDateTime gt " + DateTimeFormatter.ISO_INSTANT.format(
                Objects.requireNonNull(hwm).minus(settings.incrementalOverlap())) : null;
        URI url = settings.managedDevicesUrl(filter);
        GuidSet seen = mode == SyncMode.FULL ? new GuidSet(Math.max(1024, compliance.residentCount())) : null;
        Instant newest = mode == SyncMode.FULL ? null : hwm;
        while (url != null) {
            PageParser.Page page = fetch(url, (int) st.pages + 1, st);
            st.pages++;
            apply(page.devices(), st);
            st.warnings.absorb(page.warnings());
            if (seen != null) {
                for (DeviceRecord r : page.devices()) {
                    seen.add(r.deviceId());
                }
            }
            if (page.maxLastSync() != null && (newest == null || page.maxLastSync().isAfter(newest))) {
                newest = page.maxLastSync();
            }
            url = next(url, page.nextLink());
        }
        if (seen != null) {
            retire(seen, started, st);
        }
        Instant cap = markCap(st.inventoryStart, started);
        if (newest != null && newest.isAfter(cap)) {
            st.markClampedFrom = newest;
            return cap;
        }
        return newest;
    }

    /** The latest mark a run may set: its start on the inventory's clock, else on ours plus the skew. */
    static Instant markCap(Instant inventoryStart, Instant localStart) {
        return inventoryStart != null ? inventoryStart : localStart.plus(GraphDeviceMapper.SKEW);
    }

    private PageParser.Page fetch(URI url, int pageNo, RunStats st) {
        String what = "GET " + HttpCaller.shortUrl(url) + " (page " + pageNo + ")";
        return authorizedGet(url, what, (resp, body) -> {
            int status = resp.statusCode();
            if (status != 200) {
                throw failure(what, resp, body);
            }
            Instant observed = clock.instant();
            Instant inventoryNow = inventoryClock(resp);
            if (st.inventoryStart == null) {
                st.inventoryStart = inventoryNow;
            }
            try {
                return parser.parse(body, observed, inventoryNow, st.warnings.child());
            } catch (JsonProcessingException e) {
                throw malformed(what, e);
            }
        });
    }

    /**
     * {@code GET url} with the bearer token; a 401 gets a new token once. Other answers go to {@code handler}.
     */
    private <T> T authorizedGet(URI url, String what, HttpCaller.Handler<T> handler) {
        boolean refreshed = false;
        while (true) {
            String token = tokens.get();
            try {
                return caller.call(what, () -> HttpRequest.newBuilder(url).timeout(settings.requestTimeout())
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/json")
                        .GET().build(), (resp, body) -> {
                    if (resp.statusCode() == 401) {
                        throw new Unauthorized(caller.errorSummary(body));
                    }
                    return handler.handle(resp, body);
                });
            } catch (Unauthorized e) {
                if (refreshed) {
                    throw new SyncFailure(what + " answered HTTP 401 even with a newly issued access token"
                            + e.getMessage());
                }
                // the token expired or was revoked before its announced expiry: get a new one, once
                log.info("{} answered 401; fetching a new access token", what);
                tokens.invalidate(token);
                refreshed = true;
            }
        }
    }

    private SyncFailure failure(String what, HttpResponse<InputStream> resp, InputStream body) {
        int status = resp.statusCode();
        return new SyncFailure(what + " answered HTTP " + status + caller.errorSummary(body)
                + (status == 403 ? " (the application needs the DeviceManagementManagedDevices.Read.All"
                + " application permission)" : ""));
    }

    private static SyncFailure malformed(String what, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return new SyncFailure("malformed JSON in " + what + ": " + e.getOriginalMessage()
                + (at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr()), e);
    }

    /** The inventory's clock from the answer's {@code Date} header (RFC 9110 IMF-fixdate), or null. */
    static Instant inventoryClock(HttpResponse<?> resp) {
        String date = resp.headers().firstValue("Date").orElse(null);
        if (date == null) {
            return null;
        }
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(date.strip(), Instant::from);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The next page's URL: {@code @odata.nextLink} verbatim, but only to the configured API host. */
    private URI next(URI current, String nextLink) {
        if (nextLink == null) {
            return null;
        }
        URI next;
        try {
            next = URI.create(nextLink);
        } catch (IllegalArgumentException e) {
            throw new SyncFailure("@odata.nextLink is not a valid URL: '" + SyncWarnings.printable(nextLink) + "'");
        }
        URI base = settings.baseUrl();
        // the bearer token goes wherever nextLink points: never let a page send it to another host
        if (!next.isAbsolute() || !base.getScheme().equalsIgnoreCase(next.getScheme())
                || !base.getHost().equalsIgnoreCase(String.valueOf(next.getHost())) || base.getPort() != next.getPort()) {
            throw new SyncFailure("refusing to follow @odata.nextLink to '" + SyncWarnings.printable(
                    HttpCaller.shortUrl(next)) + "': not on " + base.getScheme() + "://" + base.getAuthority());
        }
        if (next.equals(current)) {
            throw new SyncFailure("@odata.nextLink repeats the page just read: " + HttpCaller.shortUrl(next));
        }
        return next;
    }

    /**
     * Writes the devices that differ from the index; unchanged ones are only counted. A device the store refuses
     * as stale because its stored record is stamped in the future (written by an MDM or an older nacgw with a bad
     * clock) would never change again: this run's observation is newer, so it replaces that record, stamped just
     * after it.
     */
    private void apply(List<DeviceRecord> devices, RunStats st) {
        st.seen += devices.size();
        List<DeviceRecord> changed = new ArrayList<>(devices.size());
        for (DeviceRecord r : devices) {
            DeviceRecord current = compliance.findResident(r.deviceId());
            if (current != null && GraphDeviceMapper.sameContent(current, r)) {
                st.unchanged++;
            } else {
                changed.add(r);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        List<UpsertOutcome> outcomes = compliance.upsertAll(changed);
        List<DeviceRecord> overtake = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).applied()) {
                st.changes++;
                continue;
            }
            DeviceRecord fresh = changed.get(i);
            DeviceRecord stored = compliance.store().get(fresh.deviceId()).orElse(null);
            if (stored != null && stored.lastModified().isAfter(fresh.lastModified().plus(GraphDeviceMapper.SKEW))
                    && stored.lastModified().isAfter(clock.instant().plus(GraphDeviceMapper.SKEW))) {
                st.warnings.warn("stored record stamped in the future", fresh.deviceId().canonical(),
                        "lastModified " + stored.lastModified() + " is replaced by this sync's newer observation");
                overtake.add(fresh.toBuilder().lastModified(stored.lastModified().plusMillis(1)).build());
            } else {
                st.stale++;
            }
        }
        if (!overtake.isEmpty()) {
            for (UpsertOutcome o : compliance.upsertAll(overtake)) {
                if (o.applied()) {
                    st.changes++;
                    st.futureStampsReplaced++;
                } else {
                    st.stale++; // written again meanwhile by someone else: theirs stands
                }
            }
        }
    }

    /**
     * After a complete full sync: every stored device the inventory no longer lists, not already retired and not
     * written since the run started (a push that raced the sync), is a candidate. Too many candidates (more than
     * {@link SyncSettings#retireThreshold}) retire nothing: far likelier a scoping, permission or paging problem
     * than a fleet that vanished. Otherwise each candidate is confirmed with {@code GET managedDevices/{id}}: the
     * inventory pages by position, so a deletion while paging shifts devices that still exist out of the listing.
     * 404 retires it ({@link ManagementState#RETIRED}, newer {@code lastModified}); found, it is kept and applied.
     */
    private void retire(GuidSet seen, Instant started, RunStats st) {
        List<DeviceRecord> gone = new ArrayList<>();
        long[] fleet = {0};
        Instant futureLimit = clock.instant().plus(GraphDeviceMapper.SKEW);
        Consumer<DeviceRecord> check = r -> {
            if (r.managementState() == ManagementState.RETIRED) {
                return;
            }
            fleet[0]++;
            // stamped after the start: written during the run (keep); far in the future: a bad clock (a candidate)
            boolean before = r.lastModified().isBefore(started) || r.lastModified().isAfter(futureLimit);
            if (before && !seen.contains(r.deviceId())) {
                gone.add(r);
            }
        };
        if (compliance.complete()) {
            compliance.forEachResident(check);
        } else {
            compliance.store().forEach(check);
        }
        if (gone.isEmpty()) {
            return;
        }
        if (seen.size() == 0) {
            // an empty inventory is far likelier a scoping or permission change than a fleet that vanished
            throw new SyncFailure("the inventory listed no devices; refusing to retire all " + gone.size()
                    + " stored devices (check the application's permissions and the tenant)");
        }
        st.retireCandidates = gone.size();
        long threshold = settings.retireThreshold(fleet[0]);
        if (gone.size() > threshold) {
            st.retireGuard = new SyncReport.RetireGuard(clock.instant(), gone.size(), fleet[0], threshold);
            log.warn("retire guard: {} of {} devices are missing from the full listing, more than the {} a full sync "
                    + "may retire (sync.retireGuardPercent {}%, at least sync.retireGuardMinimum {}); retiring none",
                    gone.size(), fleet[0], threshold, settings.retireGuardPercent(), settings.retireGuardMinimum());
            return;
        }
        List<DeviceRecord> confirmed = confirmGone(gone, st);
        Instant now = clock.instant();
        List<DeviceRecord> batch = new ArrayList<>(Math.min(confirmed.size(), RETIRE_BATCH));
        for (DeviceRecord r : confirmed) {
            Instant stamp = now.isAfter(r.lastModified()) ? now : r.lastModified().plusMillis(1);
            batch.add(r.toBuilder().managementState(ManagementState.RETIRED).lastModified(stamp).build());
            if (batch.size() == RETIRE_BATCH) {
                st.retired += applyRetired(batch);
                batch.clear();
            }
        }
        st.retired += applyRetired(batch);
        log.info("retired {} devices no longer in the inventory ({} missing from the listing, {} of them still "
                + "there when asked one by one)", st.retired, gone.size(), st.retireConfirmedPresent);
    }

    /** What {@code GET managedDevices/{id}} found: the device, or nothing (404). */
    private record Confirmation(DeviceRecord present, SyncWarnings warnings) {
    }

    /**
     * Asks the inventory for each candidate, {@code sync.retireConfirmConcurrency} at a time; applies the ones it
     * still has and returns the ones it answered 404 for. Any other failure fails the run (nothing is retired).
     */
    private List<DeviceRecord> confirmGone(List<DeviceRecord> candidates, RunStats st) {
        int threads = Math.min(settings.retireConfirmConcurrency(), candidates.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads,DaemonThreads.named("nacgw-sync-confirm"));
        try {
            List<Future<Confirmation>> answers = new ArrayList<>(candidates.size());
            for (DeviceRecord r : candidates) {
                SyncWarnings w = st.warnings.child();
                answers.add(pool.submit(() -> confirm(r.deviceId().canonical(), w)));
            }
            List<DeviceRecord> gone = new ArrayList<>();
            List<DeviceRecord> present = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                Confirmation c = await(answers.get(i));
                st.warnings.absorb(c.warnings());
                if (c.present() == null) {
                    gone.add(candidates.get(i));
                } else {
                    present.add(c.present());
                }
            }
            st.retireConfirmedPresent = present.size();
            apply(present, st);
            return gone;
        } finally {
            pool.shutdownNow();
        }
    }

    private Confirmation confirm(String deviceId, SyncWarnings w) {
        URI url = settings.managedDeviceUrl(deviceId);
        String what = "GET " + HttpCaller.shortUrl(url);
        return authorizedGet(url, what, (resp, body) -> {
            int status = resp.statusCode();
            if (status == 404) {
                return new Confirmation(null, w);
            }
            if (status != 200) {
                throw failure(what, resp, body);
            }
            try {
                DeviceRecord r = parser.parseOne(body, clock.instant(), inventoryClock(resp), w);
                if (r == null || !r.deviceId().canonical().equals(deviceId)) {
                    throw new SyncFailure(what + " answered a different or unusable device; not retiring it");
                }
                return new Confirmation(r, w);
            } catch (JsonProcessingException e) {
                throw malformed(what, e);
            }
        });
    }

    private static Confirmation await(Future<Confirmation> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure("interrupted while confirming missing devices (sync stopped)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new SyncFailure("confirming a missing device failed: " + cause, cause);
        }
    }

    private long applyRetired(List<DeviceRecord> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        return compliance.upsertAll(batch).stream().filter(UpsertOutcome::applied).count();
    }

    /** A 401 from the API, handled by refreshing the token once. */
    private static final class Unauthorized extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unauthorized(String detail) {
            super(detail, null, false, false);
        }
    }
}
