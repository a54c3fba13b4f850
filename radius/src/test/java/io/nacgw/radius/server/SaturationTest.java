package io.nacgw.radius.server;

import io.nacgw.core.net.UdpSockets;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the RADIUS ports count as having more work than CPU. */
final class SaturationTest {
    private final AtomicLong overloaded = new AtomicLong();
    private final AtomicReference<UdpSockets.Totals> sockets = new AtomicReference<>(new UdpSockets.Totals(0, 0));
    private final Saturation saturation = new Saturation(overloaded::get);

    SaturationTest() {
        saturation.watch(sockets::get);
    }

    @Test
    void kernelDrops_sinceTheLastLook_areSaturation_dropsBeforeTheFirstLookAreNot() {
        sockets.set(new UdpSockets.Totals(500, 0)); // dropped before anyone looked (another run, a start-up burst)
        assertFalse(saturation.look());
        assertFalse(saturation.look(), "no new drops");
        sockets.set(new UdpSockets.Totals(501, 0));
        assertTrue(saturation.look());
        assertFalse(saturation.look());
    }

    @Test
    void dropsOverTheConfiguredRate_areSaturation() {
        assertFalse(saturation.look());
        overloaded.incrementAndGet();
        assertTrue(saturation.look());
    }

    @Test
    void aBacklogInTheSockets_isSaturation_aFewDatagramsAreNot() {
        sockets.set(new UdpSockets.Totals(0, 10 * 832)); // ten MAB requests waiting: a server keeping up
        assertFalse(saturation.look());
        sockets.set(new UdpSockets.Totals(0, Saturation.BACKLOG_BYTES + 1));
        assertTrue(saturation.look());
        assertTrue(saturation.look(), "as long as it waits");
    }

    @Test
    void beforeThePortsAreBound_nothingIsSaturated() {
        Saturation unbound = new Saturation(() -> 0);
        assertFalse(unbound.look());
        assertFalse(unbound.look());
    }
}
