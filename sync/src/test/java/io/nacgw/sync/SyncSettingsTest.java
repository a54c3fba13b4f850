package io.nacgw.sync;

import io.nacgw.core.secret.Secret;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class SyncSettingsTest {
    private static final URI TOKEN = URI.create("https://login.microsoftonline.com/contoso/oauth2/v2.0/token");

    private static SyncSettings.Builder valid() {
        return SyncSettings.builder(TOKEN, "app-id", Secret.of("hunter2-secret"));
    }

    private static String error(UnaryOperator<SyncSettings.Builder> change) {
        return assertThrows(RuntimeException.class, () -> change.apply(valid()).build()).getMessage();
    }

    @Test
    void builder_defaults_asDocumented() {
        SyncSettings s = valid().build();
        assertEquals(URI.create("https://graph.microsoft.com/v1.0"), s.baseUrl());
        assertEquals("https://graph.microsoft.com/.default", s.scope());
        assertEquals(1000, s.pageSize());
        assertEquals(Duration.ofHours(6), s.fullInterval());
        assertEquals(Duration.ofMinutes(10), s.incrementalInterval());
        assertEquals(Duration.ofSeconds(30), s.requestTimeout());
        assertEquals(6, s.maxAttempts());
        assertEquals(Duration.ofSeconds(1), s.initialBackoff());
        assertEquals(Duration.ofSeconds(60), s.maxBackoff());
        assertEquals(Duration.ofMinutes(5), s.maxRetryAfter());
        assertEquals(Duration.ofMinutes(5), s.incrementalOverlap());
        assertEquals(2.0, s.retireGuardPercent());
        assertEquals(500, s.retireGuardMinimum());
        assertEquals(4, s.retireConfirmConcurrency());
    }

    @Test
    void newKeys_validatedNamingTheKey() {
        assertTrue(error(b -> b.incrementalOverlap(Duration.ofSeconds(-1))).startsWith("sync.incrementalOverlap"));
        assertTrue(error(b -> b.incrementalOverlap(Duration.ofDays(2))).startsWith("sync.incrementalOverlap"));
        assertEquals("sync.retireGuardPercent must be 0 to 100, got 101.0", error(b -> b.retireGuardPercent(101)));
        assertEquals("sync.retireGuardPercent must be 0 to 100, got NaN", error(b -> b.retireGuardPercent(Double.NaN)));
        assertEquals("sync.retireGuardMinimum must be 0 to 10000000, got -1", error(b -> b.retireGuardMinimum(-1)));
        assertEquals("sync.retireConfirmConcurrency must be 1 to 32, got 0", error(b -> b.retireConfirmConcurrency(0)));
    }

    @Test
    void retireThreshold_twoPercentOfTheFleet_butAtLeastTheMinimum() {
        SyncSettings s = valid().build();
        assertEquals(500, s.retireThreshold(2_493));
        assertEquals(500, s.retireThreshold(25_000));
        assertEquals(2_000, s.retireThreshold(100_000));
        assertEquals(0, valid().retireGuardMinimum(0).retireGuardPercent(0).build().retireThreshold(1_000_000));
    }

    @Test
    void toString_neverPrintsTheSecret() {
        String s = valid().build().toString();
        assertFalse(s.contains("hunter2"), s);
        assertTrue(s.contains("clientSecret=***"), s);
        assertEquals("Secret[***]", Secret.of("hunter2-secret").toString());
    }

    @Test
    void validation_messagesNameTheKey() {
        assertEquals("sync.tokenUrl is required",
                assertThrows(IllegalArgumentException.class, () -> SyncSettings.builder(null, "a", Secret.of("s")).build())
                        .getMessage());
        assertEquals("sync.clientId is required",
                assertThrows(IllegalArgumentException.class, () -> SyncSettings.builder(TOKEN, " ", Secret.of("s"))
                        .build()).getMessage());
        assertEquals("sync.clientSecret (from a file or an environment variable) or sync.clientCertificate is required",
                assertThrows(IllegalArgumentException.class, () -> SyncSettings.builder(TOKEN, "a", (Secret) null)
                        .build()).getMessage());
        assertEquals("sync.pageSize must be 1 to 1000, got 0", error(b -> b.pageSize(0)));
        assertEquals("sync.pageSize must be 1 to 1000, got 1001", error(b -> b.pageSize(1001)));
        assertEquals("sync.scope must not be empty", error(b -> b.scope("")));
        assertEquals("sync.maxAttempts must be 1 to 20, got 0", error(b -> b.maxAttempts(0)));
        assertEquals("sync.requestTimeout must be PT1S to PT10M, got PT0.5S",
                error(b -> b.requestTimeout(Duration.ofMillis(500))));
        assertEquals("sync.fullInterval must be PT1M to PT168H, got PT30S",
                error(b -> b.fullInterval(Duration.ofSeconds(30))));
        assertEquals("sync.incrementalInterval (PT6H) must be shorter than sync.fullInterval (PT6H), or 0 to disable it",
                error(b -> b.incrementalInterval(Duration.ofHours(6))));
        assertEquals("sync.initialBackoff (PT2M) must not exceed sync.maxBackoff (PT1M)",
                error(b -> b.initialBackoff(Duration.ofMinutes(2))));
        assertEquals("sync.maxRetryAfter must be PT0S to PT1H, got PT2H",
                error(b -> b.maxRetryAfter(Duration.ofHours(2))));
    }

    @Test
    void validation_plainHttpOnlyToLocalhost() {
        assertEquals("sync.baseUrl must use https (http is allowed only for localhost), got 'http://graph.example/v1.0'",
                error(b -> b.baseUrl(URI.create("http://graph.example/v1.0"))));
        assertEquals("sync.tokenUrl must use https (http is allowed only for localhost), got 'http://login.example/t'",
                assertThrows(IllegalArgumentException.class, () -> SyncSettings.builder(
                        URI.create("http://login.example/t"), "a", Secret.of("s")).build()).getMessage());
        assertEquals("sync.baseUrl must be an absolute https URL, got 'ftp://x/y'",
                error(b -> b.baseUrl(URI.create("ftp://x/y"))));
        assertEquals("sync.baseUrl must not carry credentials in the URL",
                error(b -> b.baseUrl(URI.create("https://u:p@graph.example/v1.0"))));
        assertEquals("sync.baseUrl must not carry a query or fragment, got https://graph.example/v1.0?a=b",
                error(b -> b.baseUrl(URI.create("https://graph.example/v1.0?a=b"))));
        valid().baseUrl(URI.create("http://127.0.0.1:8080/v1.0")).build();
    }

    @Test
    void managedDevicesUrl_selectTopAndFilter() {
        SyncSettings s = valid().baseUrl(URI.create("https://graph.example/v1.0/")).pageSize(250).build();
        assertEquals(URI.create("https://graph.example/v1.0"), s.baseUrl());
        assertEquals("https://graph.example/v1.0/deviceManagement/managedDevices?$select=" + GraphField.SELECT
                + "&$top=250", s.managedDevicesUrl(null).toString());
        assertEquals("https://graph.example/v1.0/deviceManagement/managedDevices?$select=" + GraphField.SELECT
                + "&$top=250&$filter=lastSyncDateTime%20gt%202026-11-23T10:00:00Z",
                s.managedDevicesUrl("lastSyncDateTime gt 2026-11-23T10:00:00Z").toString());
    }
}
