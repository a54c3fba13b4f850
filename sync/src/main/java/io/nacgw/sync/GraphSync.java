package io.nacgw.sync;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.store.UpsertOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
        final SyncWarnings warnings = new SyncWarnings();
    }

    /** Retries made by the HTTP layer so far (to compute a run's share). */
    long retries() {
        return caller.retries();
    }

    /**
     * Runs a sync; returns the new high-water mark (the newest {@code lastSyncDateTime} seen, or {@code hwm} if
     * none was newer).
     *
     * @throws SyncFailure when the run cannot complete; pages already applied stay applied, nothing is retired
     */
    Instant run(SyncMode mode, Instant hwm, Instant started, RunStats st) {
        String filter = mode == SyncMode.INCREMENTAL
                ? "lastSyncDateTime gt " + DateTimeFormatter.ISO_INSTANT.format(Objects.requireNonNull(hwm)) : null;
        URI url = settings.managedDevicesUrl(filter);
        GuidSet seen = mode == SyncMode.FULL ? new GuidSet(Math.max(1024, compliance.residentCount())) : null;
        Instant newHwm = hwm;
        while (url != null) {
            PageParser.Page page = fetch(url, (int) st.pages + 1, st.warnings);
            st.pages++;
            apply(page.devices(), st);
            st.warnings.absorb(page.warnings());
            if (seen != null) {
                for (DeviceRecord r : page.devices()) {
                    seen.add(r.deviceId());
                }
            }
            if (page.maxLastSync() != null && (newHwm == null || page.maxLastSync().isAfter(newHwm))) {
                newHwm = page.maxLastSync();
            }
            url = next(url, page.nextLink());
        }
        if (seen != null) {
            retire(seen, started, st);
        }
        return newHwm;
    }

    private PageParser.Page fetch(URI url, int pageNo, SyncWarnings runWarnings) {
        String what = "GET " + HttpCaller.shortUrl(url) + " (page " + pageNo + ")";
        boolean refreshed = false;
        while (true) {
            String token = tokens.get();
            try {
                return caller.call(what, () -> HttpRequest.newBuilder(url).timeout(settings.requestTimeout())
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/json")
                        .GET().build(), (resp, body) -> {
                    int status = resp.statusCode();
                    if (status == 200) {
                        Instant observed = clock.instant();
                        try {
                            return parser.parse(body, observed, runWarnings.child());
                        } catch (JsonProcessingException e) {
                            JsonLocation at = e.getLocation();
                            throw new SyncFailure("malformed JSON in " + what + ": " + e.getOriginalMessage()
                                    + (at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr()),
                                    e);
                        }
                    }
                    if (status == 401) {
                        throw new Unauthorized(caller.errorSummary(body));
                    }
                    throw new SyncFailure(what + " answered HTTP " + status + caller.errorSummary(body)
                            + (status == 403 ? " (the application needs the DeviceManagementManagedDevices.Read.All"
                            + " application permission)" : ""));
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

    /** Writes the devices that differ from the index; unchanged ones are only counted. */
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
        for (UpsertOutcome o : compliance.upsertAll(changed)) {
            if (o.applied()) {
                st.changes++;
            } else {
                st.stale++;
            }
        }
    }

    /**
     * After a complete full sync: every stored device the inventory no longer lists, not already retired and not
     * written since the run started (a push that raced the sync), becomes {@link ManagementState#RETIRED} with a
     * newer {@code lastModified}, so policy stops treating it as managed and compliant.
     */
    private void retire(GuidSet seen, Instant started, RunStats st) {
        List<DeviceRecord> gone = new ArrayList<>();
        Consumer<DeviceRecord> check = r -> {
            if (r.managementState() != ManagementState.RETIRED && r.lastModified().isBefore(started)
                    && !seen.contains(r.deviceId())) {
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
        Instant now = clock.instant();
        List<DeviceRecord> batch = new ArrayList<>(Math.min(gone.size(), RETIRE_BATCH));
        for (DeviceRecord r : gone) {
            Instant stamp = now.isAfter(r.lastModified()) ? now : r.lastModified().plusMillis(1);
            batch.add(r.toBuilder().managementState(ManagementState.RETIRED).lastModified(stamp).build());
            if (batch.size() == RETIRE_BATCH) {
                st.retired += applyRetired(batch);
                batch.clear();
            }
        }
        st.retired += applyRetired(batch);
        log.info("retired {} devices no longer listed by the inventory", st.retired);
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
