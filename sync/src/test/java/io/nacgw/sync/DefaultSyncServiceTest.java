package io.nacgw.sync;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduling, the one-run-at-a-time guard, status, stop, and what reaches the log. */
final class DefaultSyncServiceTest {

    @Test
    void runFull_whileAnotherRunInProgress_returnsBusy() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4));
            f.graph.intercept((n, ex) -> {
                if (n == 2) {
                    FakeGraph.respond(ex, 429, "", "Retry-After", "1");
                    return true;
                }
                return false;
            });
            AtomicReference<SyncReport> second = new AtomicReference<>();
            AtomicReference<SyncStatus> during = new AtomicReference<>();
            f.sleeper.during = d -> {
                during.set(f.sync.status());
                second.set(f.sync.runIncremental());
            };

            SyncReport first = f.sync.runFull();

            assertTrue(first.succeeded(), first.error());
            assertEquals(SyncReport.Outcome.BUSY, second.get().outcome());
            assertEquals("another sync run is in progress", second.get().error());
            assertTrue(during.get().running());
            assertEquals(SyncMode.FULL, during.get().runningMode());
            SyncStatus after = f.sync.status();
            assertFalse(after.running());
            assertNull(after.runningMode());
            assertEquals(1, after.runs()); // the refusal is not a run
            assertEquals(0, after.failedRuns());
        }
    }

    @Test
    void status_showingARunsResult_neverShowsItRunning() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2));
            // the "sync done" line is written on the run's own thread once its result is visible: take a snapshot
            // there, where an operator's `nacgw sync status` could see lastSuccess before the run slot was freed
            List<SyncStatus> atResult = new ArrayList<>();
            List<java.util.Optional<?>> secondStart = new ArrayList<>();
            ch.qos.logback.core.AppenderBase<ILoggingEvent> probe = new ch.qos.logback.core.AppenderBase<>() {
                @Override
                protected void append(ILoggingEvent e) {
                    if (e.getFormattedMessage().contains("sync done")) {
                        atResult.add(f.sync.status());
                        // the operator's next `nacgw sync run`: claimed at once, run later
                        secondStart.add(f.sync.startAsync(SyncMode.INCREMENTAL, r -> { }));
                    }
                }
            };
            probe.start();
            Logger logger = (Logger) LoggerFactory.getLogger(DefaultSyncService.class);
            logger.addAppender(probe);
            try {
                assertTrue(f.sync.runFull().succeeded());
            } finally {
                logger.detachAppender(probe);
            }

            assertEquals(1, atResult.size());
            assertTrue(atResult.get(0).lastSuccess() != null);
            assertFalse(atResult.get(0).running());
            assertTrue(secondStart.get(0).isPresent(), "a run requested right after the result must not be refused");
        }
    }

    @Test
    void startAsync_claimsAtOnce_secondRequestRefusedUntilTheRunEnds() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1));
            List<Runnable> queued = new ArrayList<>();

            var first = f.sync.startAsync(SyncMode.FULL, queued::add);

            assertTrue(first.isPresent());
            assertTrue(f.sync.status().running()); // claimed before the executor even ran it
            assertTrue(f.sync.startAsync(SyncMode.FULL, queued::add).isEmpty());
            assertEquals(SyncReport.Outcome.BUSY, f.sync.runIncremental().outcome());
            queued.get(0).run();
            assertTrue(first.get().join().succeeded());
            assertFalse(f.sync.status().running());
            assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> f.sync.startAsync(SyncMode.FULL,
                    r -> { throw new java.util.concurrent.RejectedExecutionException("full"); }));
            assertFalse(f.sync.status().running()); // a refused start frees the slot again
        }
    }

    /** The fixture's settings for another tenant (token URL). */
    static SyncSettings otherTenant(SyncSettings s) {
        return new SyncSettings(java.net.URI.create(s.tokenUrl() + "-tenant-b"), s.clientId(), s.clientSecret(),
                s.clientCertificate(), s.scope(), s.baseUrl(), s.pageSize(), s.fullInterval(), s.incrementalInterval(),
                s.requestTimeout(), s.maxAttempts(), s.initialBackoff(), s.maxBackoff(), s.maxRetryAfter(),
                s.incrementalOverlap(), s.retireGuardPercent(), s.retireGuardMinimum(), s.retireConfirmConcurrency());
    }

    @Test
    void reconfigure_sameTenant_keepsMarkAndHistory_otherTenant_forgetsThem_andAnOldRunSetsNoMark() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2));
            assertEquals(SyncReport.Outcome.SUCCEEDED, f.sync.runFull().outcome());
            Instant mark = f.sync.status().highWaterMark();
            assertNotNull(mark);

            f.sync.reconfigure(f.settings); // same tenant (a rebuilt client): nothing forgotten
            assertEquals(mark, f.sync.status().highWaterMark());
            assertEquals(SyncMode.INCREMENTAL, f.sync.runIncremental().mode());

            List<Runnable> queued = new ArrayList<>();
            var old = f.sync.startAsync(SyncMode.FULL, queued::add).orElseThrow(); // claimed with tenant A
            f.sync.reconfigure(otherTenant(f.settings));
            assertNull(f.sync.status().highWaterMark());
            assertNull(f.sync.status().lastFullSuccess());
            assertEquals(2, f.sync.status().runs(), "history kept");
            queued.get(0).run(); // the run claimed before the reload finishes with tenant A's settings
            assertEquals(SyncReport.Outcome.SUCCEEDED, old.join().outcome(), String.valueOf(old.join().error()));
            assertNull(f.sync.status().highWaterMark(), "tenant A's run sets no mark for tenant B");
            assertNull(f.sync.status().lastFullSuccess());
            assertEquals(3, f.sync.status().runs());
            assertEquals(SyncMode.FULL, f.sync.runIncremental().mode(), "tenant B starts with a full sync");
        }
    }

    @Test
    void stop_thenStart_restartsTheSchedule() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.sync.stop(); // not started: nothing to stop
            f.sync.start();
            f.sync.stop();
            f.sync.start(); // without stop this would be "already started"
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, f.sync::start);
        }
    }

    @Test
    void tick_runsFullFirst_thenIncrementals_thenFullWhenDue() throws Exception {
        try (SyncFixture f = new SyncFixture(b -> b.fullInterval(Duration.ofHours(6))
                .incrementalInterval(Duration.ofMinutes(10)))) {
            f.graph.setDevices(SyncFixture.devices(1, 2));

            assertEquals(SyncMode.FULL, f.sync.tick().mode());
            f.clock.advance(Duration.ofMinutes(5));
            assertNull(f.sync.tick()); // nothing due yet
            f.clock.advance(Duration.ofMinutes(5));
            assertEquals(SyncMode.INCREMENTAL, f.sync.tick().mode());
            f.clock.advance(Duration.ofMinutes(10));
            assertEquals(SyncMode.INCREMENTAL, f.sync.tick().mode());
            f.clock.advance(Duration.ofHours(6).minusMinutes(20));
            SyncReport full = f.sync.tick();
            assertEquals(SyncMode.FULL, full.mode());
            assertEquals(full.started(), f.sync.status().lastFullSuccess());
            assertEquals(4, f.sync.status().runs());
        }
    }

    @Test
    void tick_whileAnotherNodeLeads_runsNothing_andRunsWhenThisNodeLeads() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1));
            java.util.concurrent.atomic.AtomicBoolean leading = new java.util.concurrent.atomic.AtomicBoolean();
            f.sync.role(new io.nacgw.core.cluster.ClusterRole() {
                @Override
                public boolean isLeader() {
                    return leading.get();
                }

                @Override
                public String nodeName() {
                    return "b";
                }

                @Override
                public java.util.Optional<String> leaderName() {
                    return java.util.Optional.of(leading.get() ? "b" : "a");
                }
            });

            assertNull(f.sync.tick());
            assertEquals(0, f.sync.status().runs());
            leading.set(true);
            assertEquals(SyncMode.FULL, f.sync.tick().mode());
            assertEquals(1, f.sync.status().runs());
        }
    }

    @Test
    void tick_failedFullSync_triedAgainAtTheNextTick() throws Exception {
        try (SyncFixture f = new SyncFixture(b -> b.maxAttempts(1))) {
            f.graph.setDevices(SyncFixture.devices(1));
            assertTrue(f.sync.tick().succeeded());
            f.clock.advance(Duration.ofHours(6));
            f.graph.intercept((n, ex) -> {
                FakeGraph.respond(ex, 500, "");
                return true;
            });
            assertEquals(SyncReport.Outcome.FAILED, f.sync.tick().outcome());
            f.graph.intercept(null);
            f.clock.advance(Duration.ofMinutes(10));

            SyncReport retry = f.sync.tick();

            assertEquals(SyncMode.FULL, retry.mode());
            assertTrue(retry.succeeded());
            SyncStatus s = f.sync.status();
            assertNull(s.lastError()); // cleared by the success
            assertEquals(1, s.failedRuns());
        }
    }

    @Test
    void tickPeriod_isTheIncrementalIntervalCappedAtFiveMinutes() throws Exception {
        try (SyncFixture a = new SyncFixture(b -> b.incrementalInterval(Duration.ofMinutes(2)));
             SyncFixture c = new SyncFixture(b -> b.incrementalInterval(Duration.ZERO).fullInterval(Duration.ofHours(1)))) {
            assertEquals(Duration.ofMinutes(2), a.sync.tickPeriod());
            assertEquals(Duration.ofMinutes(5), c.sync.tickPeriod());
        }
    }

    @Test
    void tick_incrementalDisabled_onlyFullSyncs() throws Exception {
        try (SyncFixture f = new SyncFixture(b -> b.incrementalInterval(Duration.ZERO)
                .fullInterval(Duration.ofHours(1)))) {
            f.graph.setDevices(SyncFixture.devices(1));
            assertEquals(SyncMode.FULL, f.sync.tick().mode());
            f.clock.advance(Duration.ofMinutes(59));
            assertNull(f.sync.tick());
            f.clock.advance(Duration.ofMinutes(1));
            assertEquals(SyncMode.FULL, f.sync.tick().mode());
        }
    }

    @Test
    void start_runsAFullSyncOnItsOwnThread_andRefusesASecondStart() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3));
            List<String> runThreads = new ArrayList<>();
            f.compliance.addListener(c -> runThreads.add(Thread.currentThread().getName()));

            f.sync.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (f.sync.status().runs() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5); // polling for the background run to finish, not waiting for time to pass
            }

            assertEquals(1, f.sync.status().runs());
            assertEquals(3, f.store.count());
            assertEquals("nacgw-sync", runThreads.get(0));
            assertEquals("the sync service is already started",
                    assertThrows(IllegalStateException.class, f.sync::start).getMessage());
            f.sync.close();
            assertEquals("the sync service is closed",
                    assertThrows(IllegalStateException.class, f.sync::start).getMessage());
        }
    }

    @Test
    void close_interruptsTheRunInProgress_whichRetiresNothing() throws Exception {
        List<DeviceRecord> preloaded = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            preloaded.add(DeviceRecord.builder().deviceId(SyncFixture.id(n)).managementState(ManagementState.MANAGED)
                    .complianceState(ComplianceState.COMPLIANT).lastModified(Instant.parse("2026-01-01T00:00:00Z"))
                    .build());
        }
        try (SyncFixture f = new SyncFixture(b -> b, preloaded)) {
            f.graph.setDevices(SyncFixture.devices(1, 2)); // 3 and 4 would be retired by a complete run
            f.graph.intercept((n, ex) -> {
                if (n == 1) {
                    FakeGraph.respond(ex, 503, "", "Retry-After", "60");
                    return true;
                }
                return false;
            });
            CountDownLatch waiting = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            f.sleeper.during = d -> {
                waiting.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            f.sync.start();
            assertTrue(waiting.await(20, TimeUnit.SECONDS));

            f.sync.close();

            SyncStatus s = f.sync.status();
            assertEquals(1, s.failedRuns());
            assertTrue(s.lastError().contains("interrupted while waiting to retry (sync stopped)"), s.lastError());
            for (int n = 1; n <= 4; n++) {
                assertEquals(ManagementState.MANAGED, f.stored(n).orElseThrow().managementState());
            }
        }
    }

    @Test
    void logs_neverContainTheClientSecretOrAnAccessToken() throws Exception {
        Logger nacgw = (Logger) LoggerFactory.getLogger("io.nacgw");
        Level old = nacgw.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        nacgw.addAppender(events);
        nacgw.setLevel(Level.DEBUG);
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4, 5, 6, 7));
            f.graph.tokenInterceptor = (n, ex) -> {
                if (n == 1) {
                    FakeGraph.respond(ex, 500, "");
                    return true;
                }
                return false;
            };
            f.graph.intercept((n, ex) -> {
                if (n == 2) {
                    f.graph.revokeTokens();
                }
                if (n == 4) {
                    FakeGraph.respond(ex, 500, "{\"error\":{\"code\":\"x\",\"message\":\"y\"}}");
                    return true;
                }
                return false;
            });
            assertTrue(f.sync.runFull().succeeded());
            f.graph.tokenInterceptor = (n, ex) -> {
                FakeGraph.respond(ex, 401, "{\"error\":\"invalid_client\"}");
                return true;
            };
            f.graph.revokeTokens();
            f.graph.intercept(null);
            assertEquals(SyncReport.Outcome.FAILED, f.sync.runFull().outcome());
            f.sync.close();
        } finally {
            nacgw.detachAppender(events);
            nacgw.setLevel(old);
        }
        assertTrue(events.list.size() >= 5, "the scenario logs retries, the refresh and both outcomes");
        for (ILoggingEvent e : events.list) {
            String text = e.getFormattedMessage() + throwableText(e.getThrowableProxy());
            assertFalse(text.contains(FakeGraph.CLIENT_SECRET), text);
            assertFalse(text.contains("SECRET-TOKEN"), text);
        }
    }

    private static String throwableText(IThrowableProxy t) {
        StringBuilder sb = new StringBuilder();
        for (IThrowableProxy p = t; p != null; p = p.getCause()) {
            sb.append(' ').append(p.getMessage());
        }
        return sb.toString();
    }

    @Test
    void create_publicFactory_syncsAgainstTheConfiguredEndpoints() throws Exception {
        try (SyncFixture f = new SyncFixture();
             SyncService sync = SyncService.create(f.settings, f.compliance)) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4));

            SyncReport r = sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(4, f.store.count());
            assertEquals(r, sync.status().lastRun());
        }
    }

    @Test
    void create_redirect_notFollowedSoTheTokenStaysHome() throws Exception {
        try (SyncFixture f = new SyncFixture();
             SyncService sync = SyncService.create(f.settings, f.compliance)) {
            f.graph.intercept((n, ex) -> {
                if (n == 1) {
                    FakeGraph.respond(ex, 302, "", "Location", f.graph.base + "/deviceManagement/managedDevices?x=1");
                    return true;
                }
                return false;
            });

            SyncReport r = sync.runFull();

            assertEquals(SyncReport.Outcome.FAILED, r.outcome());
            assertTrue(r.error().contains("answered HTTP 302"), r.error());
            assertEquals(1, f.graph.graphRequestCount.get());
        }
    }
}
