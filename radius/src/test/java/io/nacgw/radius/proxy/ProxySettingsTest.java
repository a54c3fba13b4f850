package io.nacgw.radius.proxy;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ProxySettingsTest {
    private static UpstreamSettings up(String name, int port) throws Exception {
        return UpstreamSettings.udp(name, InetAddress.getByName("192.0.2.1"), port, "s");
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void oneUpstreamInTwoPools_isOneServer_butTwoNamesForOneAddressAreRefused() throws Exception {
        UpstreamSettings a = up("a", 1812);
        assertDoesNotThrow(() -> ProxySettings.of(List.of(PoolSettings.failover("p", List.of(a)),
                PoolSettings.failover("q", List.of(a)))));
        UpstreamSettings other = up("b", 1812);
        String m = message(() -> ProxySettings.of(List.of(PoolSettings.failover("p", List.of(a)),
                PoolSettings.failover("q", List.of(other)))));
        assertTrue(m.contains("'a' and 'b' are both 192.0.2.1:1812"), m);
        UpstreamSettings sameNameOtherPort = up("a", 1645);
        m = message(() -> ProxySettings.of(List.of(PoolSettings.failover("p", List.of(a)),
                PoolSettings.failover("q", List.of(sameNameOtherPort)))));
        assertTrue(m.contains("upstream 'a' is defined twice with different settings"), m);
    }

    @Test
    void ranges_nameTheKey() throws Exception {
        UpstreamSettings a = up("a", 1812);
        String m = message(() -> a.withTimeout(Duration.ofMillis(10), 2));
        assertTrue(m.contains("a.responseTimeout must be 100ms to 30s"), m);
        m = message(() -> PoolSettings.failover("p", List.of()));
        assertTrue(m.contains("radius.upstreams.p.servers must list at least one upstream"), m);
        m = message(() -> PoolSettings.failover("p", List.of(a)).with(PoolSettings.Balance.FAILOVER, Duration.ofMinutes(5)));
        assertTrue(m.contains("radius.upstreams.p.timeout must be 1s to 60s"), m);
        m = message(() -> PoolSettings.failover("p", List.of(a)).withChecks(true, Duration.ofMillis(10), 3, 3));
        assertTrue(m.contains("radius.upstreams.p.checkInterval"), m);
        m = message(() -> ProxySettings.of(List.of(PoolSettings.failover("p", List.of(a)))).withProfiles(Map.of("vpn", "x")));
        assertTrue(m.contains("policy.profiles.vpn.authenticateWith 'x' is not a pool"), m);
        m = message(() -> ProxySettings.of(List.of(PoolSettings.failover("p", List.of(a))
                .with(PoolSettings.Balance.FAILOVER, Duration.ofSeconds(20)))).requireWithin(Duration.ofSeconds(10)));
        assertTrue(m.contains("must not exceed radius.duplicateTtl"), m);
    }
}
