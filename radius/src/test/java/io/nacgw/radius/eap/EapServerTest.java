package io.nacgw.radius.eap;

import io.nacgw.radius.DropReason;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.radius.NasClient;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The EAP layer without sockets: framing errors, State rules, the table's bounds, the TLS pool, fragment floods. */
final class EapServerTest {
    private static final NasClient SWITCH = TestWorld.switchClient("192.0.2.0/24").build();
    private static final NasClient OTHER = NasClient.builder("other", "198.51.100.0/24", "other-secret").build();
    private static final InetSocketAddress NAS = new InetSocketAddress("192.0.2.10", 40000);
    private static final InetSocketAddress NAS2 = new InetSocketAddress("192.0.2.11", 40000);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(TestWorld.NOW);
    private EapServer eap;

    @AfterEach
    void close() {
        if (eap != null) {
            eap.close();
        }
    }

    private EapServer md5Only(int maxConversations) {
        eap = EapServer.create(EapSettings.DISABLED.withEnabled(true).withBounds(maxConversations, Duration.ofSeconds(30), 1, 10),
                clock, Runnable::run, mac -> List.of(mac.toHex12().toLowerCase(Locale.ROOT)));
        return eap;
    }

    private EapServer withTls(Executor pool) {
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        eap = EapServer.create(EapSettings.DISABLED.withTls(List.of(pki.trustedCas), pki.server.certFile(),
                pki.server.keyFile()), clock, pool, mac -> List.of(mac.toHex12()));
        return eap;
    }

    /** An Access-Request carrying {@code eapParts}, each cut into 253-byte EAP-Message attributes. */
    private static RadiusRequest request(NasClient client, InetSocketAddress from, byte[] state, byte[]... eapParts) {
        List<Attribute> attrs = new ArrayList<>();
        attrs.add(Attribute.text(AttributeType.USER_NAME, "someone"));
        for (byte[] p : eapParts) {
            for (int off = 0; off < p.length; off += 253) {
                attrs.add(Attribute.of(AttributeType.EAP_MESSAGE,
                        java.util.Arrays.copyOfRange(p, off, Math.min(p.length, off + 253))));
            }
        }
        if (state != null) {
            attrs.add(Attribute.of(AttributeType.STATE, state));
        }
        return new RadiusRequest(RadiusCode.ACCESS_REQUEST, 1, new byte[16], attrs, from, client,
                Secret.of(TestWorld.SECRET), System.nanoTime());
    }

    private static byte[] eap(int code, int id, int type, byte[] data) {
        return new EapPacket(code, id, type, data).encode();
    }

    private static byte[] identity(String who) {
        return eap(EapPacket.RESPONSE, 0, EapPacket.IDENTITY, who.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static EapResult get(java.util.concurrent.CompletableFuture<EapResult> f) {
        return f.join();
    }

    /** The EAP request inside a challenge, and its State. */
    private static EapPacket packet(EapResult r) throws MalformedEapException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Attribute a : r.attributes()) {
            if (a.type() == AttributeType.EAP_MESSAGE) {
                b.writeBytes(a.value());
            }
        }
        return EapPacket.parse(b.toByteArray());
    }

    private static byte[] state(EapResult r) {
        return r.attributes().stream().filter(a -> a.type() == AttributeType.STATE).findFirst().orElseThrow().value();
    }

    private static DropReason dropped(Runnable r) {
        return assertThrows(EapDropException.class, r::run).reason();
    }

    @Test
    void malformedEap_isDroppedAndCounted() {
        EapServer s = md5Only(10);
        // Length field says 9, the attribute holds 5 bytes
        assertEquals(DropReason.EAP_MALFORMED, dropped(() -> s.handle(request(SWITCH, NAS, null, new byte[]{2, 1, 0, 9, 1}))));
        // shorter than a header
        assertEquals(DropReason.EAP_MALFORMED, dropped(() -> s.handle(request(SWITCH, NAS, null, new byte[]{2, 1}))));
        // a Request (code 1) from a peer
        assertEquals(DropReason.EAP_MALFORMED, dropped(() -> s.handle(request(SWITCH, NAS, null,
                eap(EapPacket.REQUEST, 1, EapPacket.IDENTITY, new byte[0])))));
        // Success with a body
        assertEquals(DropReason.EAP_MALFORMED, dropped(() -> s.handle(request(SWITCH, NAS, null, new byte[]{3, 1, 0, 5, 0}))));
        assertEquals(0, s.stats().conversations());
    }

    @Test
    void eapMessage_splitAcrossAttributes_isReassembled() throws Exception {
        EapServer s = md5Only(10);
        byte[] id = identity("00:11:22:33:44:01");
        EapResult r = get(s.handle(request(SWITCH, NAS, null, java.util.Arrays.copyOf(id, 6),
                java.util.Arrays.copyOfRange(id, 6, id.length))));
        assertEquals(EapResult.Kind.CHALLENGE, r.kind());
        assertEquals(EapPacket.MD5, packet(r).type());
    }

    @Test
    void md5_rightAndWrongPassword() throws Exception {
        EapServer s = md5Only(10);
        EapResult c = get(s.handle(request(SWITCH, NAS, null, identity("00-11-22-33-44-01"))));
        EapPacket ch = packet(c);
        byte[] challenge = java.util.Arrays.copyOfRange(ch.data(), 1, 17);
        byte[] value = EapServer.md5(ch.identifier(), "001122334401".getBytes(), challenge);
        byte[] data = new byte[17];
        data[0] = 16;
        System.arraycopy(value, 0, data, 1, 16);
        EapResult ok = get(s.handle(request(SWITCH, NAS, state(c), eap(EapPacket.RESPONSE, ch.identifier(), EapPacket.MD5, data))));
        assertEquals(EapResult.Kind.AUTHENTICATED, ok.kind());
        assertEquals("mac:00:11:22:33:44:01", ok.identifiers().get(0).kind().name().toLowerCase(Locale.ROOT) + ":"
                + ok.identifiers().get(0).canonical());
        assertEquals(EapPacket.SUCCESS, EapPacket.parse(ok.attributes().get(0).value()).code());

        EapResult c2 = get(s.handle(request(SWITCH, NAS, null, identity("001122334401"))));
        EapPacket ch2 = packet(c2);
        data[1] ^= 1;
        EapResult bad = get(s.handle(request(SWITCH, NAS, state(c2), eap(EapPacket.RESPONSE, ch2.identifier(), EapPacket.MD5, data))));
        assertEquals(EapResult.Kind.REJECT, bad.kind());
        assertEquals("mab_password_mismatch", bad.reason());
        assertEquals(EapPacket.FAILURE, EapPacket.parse(bad.attributes().get(0).value()).code());
        assertEquals(0, s.stats().conversations(), "finished conversations leave the table");
    }

    @Test
    void unknownState_andStateFromAnotherNas_areRejectedAndCounted() throws Exception {
        EapServer s = md5Only(10);
        EapResult c = get(s.handle(request(SWITCH, NAS, null, identity("001122334401"))));
        int id = packet(c).identifier();
        byte[] nak = eap(EapPacket.RESPONSE, id, EapPacket.NAK, new byte[]{EapPacket.PEAP});
        EapResult other = get(s.handle(request(OTHER, new InetSocketAddress("198.51.100.1", 1), state(c), nak)));
        assertEquals("eap_unknown_state", other.reason());
        EapResult sameClientOtherAddress = get(s.handle(request(SWITCH, NAS2, state(c), nak)));
        assertEquals("eap_unknown_state", sameClientOtherAddress.reason());
        EapResult forged = get(s.handle(request(SWITCH, NAS, new byte[16], nak)));
        assertEquals("eap_unknown_state", forged.reason());
        assertEquals(3, s.stats().unknownState());
        assertEquals(1, s.stats().conversations(), "the real conversation is untouched");
    }

    @Test
    void staleIdentifier_isDropped() throws Exception {
        EapServer s = md5Only(10);
        EapResult c = get(s.handle(request(SWITCH, NAS, null, identity("001122334401"))));
        int id = packet(c).identifier();
        assertEquals(DropReason.EAP_UNEXPECTED_ID, dropped(() -> s.handle(request(SWITCH, NAS, state(c),
                eap(EapPacket.RESPONSE, (id + 7) & 0xFF, EapPacket.MD5, new byte[17])))));
    }

    @Test
    void responseWithoutState_thatIsNotIdentity_isRejected() {
        EapResult r = get(md5Only(10).handle(request(SWITCH, NAS, null, eap(EapPacket.RESPONSE, 3, EapPacket.MD5, new byte[17]))));
        assertEquals("eap_no_conversation", r.reason());
    }

    @Test
    void table_isBoundedInSize_andForgetsIdleConversations() {
        EapServer s = md5Only(50);
        for (int i = 0; i < 500; i++) {
            get(s.handle(request(SWITCH, NAS, null, identity("00:11:22:33:44:01"))));
        }
        EapStats st = s.stats();
        assertTrue(st.conversations() <= 50, "held " + st.conversations());
        assertEquals(450, st.evicted());
        clock.advance(Duration.ofSeconds(31));
        s.cleanUp();
        assertEquals(0, s.stats().conversations());
        assertEquals(50, s.stats().expired());
    }

    @Test
    void nak_toPeap_isRejectedNamingWhatWasAsked_andNakToMd5SwitchesForAMac() throws Exception {
        EapServer s = withTls(Runnable::run);
        EapResult tlsStart = get(s.handle(request(SWITCH, NAS, null, identity("host/pc1"))));
        EapPacket start = packet(tlsStart);
        assertEquals(EapPacket.TLS, start.type());
        EapResult r = get(s.handle(request(SWITCH, NAS, state(tlsStart),
                eap(EapPacket.RESPONSE, start.identifier(), EapPacket.NAK, new byte[]{EapPacket.PEAP, EapPacket.TTLS}))));
        assertEquals("eap_method_not_supported", r.reason());
        assertTrue(r.message().contains("peap, eap-ttls"), r.message());

        // a MAC identity starts with MD5; a peer that wants TLS gets it
        EapResult md5Start = get(s.handle(request(SWITCH, NAS, null, identity("001122334401"))));
        EapPacket m = packet(md5Start);
        EapResult toTls = get(s.handle(request(SWITCH, NAS, state(md5Start),
                eap(EapPacket.RESPONSE, m.identifier(), EapPacket.NAK, new byte[]{EapPacket.TLS}))));
        assertEquals(EapPacket.TLS, packet(toTls).type());
    }

    @Test
    void fragmentFlood_isRejectedBeyondTheFlightLimit() throws Exception {
        EapServer s = withTls(Runnable::run);
        EapResult c = get(s.handle(request(SWITCH, NAS, null, identity("host/pc1"))));
        byte[] frag = new byte[1 + 1000];
        frag[0] = TlsConversation.FLAG_MORE;
        EapResult r = c;
        int rounds = 0;
        while (r.kind() == EapResult.Kind.CHALLENGE && rounds < 200) {
            EapPacket p = packet(r);
            r = get(s.handle(request(SWITCH, NAS, state(c), eap(EapPacket.RESPONSE, p.identifier(), EapPacket.TLS, frag))));
            rounds++;
        }
        assertEquals(EapResult.Kind.REJECT, r.kind());
        assertEquals("eap_tls_flight_too_long", r.reason());
        assertTrue(rounds <= 66, "stopped after " + rounds + " fragments");
    }

    @Test
    void fullTlsPool_dropsAndCounts_thenTheRetransmissionIsServed() throws Exception {
        Executor full = task -> {
            throw new RejectedExecutionException("full");
        };
        EapServer s = withTls(full);
        EapResult c = get(s.handle(request(SWITCH, NAS, null, identity("host/pc1"))));
        int id = packet(c).identifier();
        byte[] hello = eap(EapPacket.RESPONSE, id, EapPacket.TLS, new byte[]{0, 22, 3, 1, 0, 0});
        assertEquals(DropReason.EAP_OVERLOADED, dropped(() -> s.handle(request(SWITCH, NAS, state(c), hello))));
        assertEquals(1, s.stats().conversations(), "the conversation stays for the NAS's retransmission");
        // not left busy: the same request is processed again (here: dropped again, not refused as busy)
        assertEquals(DropReason.EAP_OVERLOADED, dropped(() -> s.handle(request(SWITCH, NAS, state(c), hello))));
    }

    @Test
    void secondRequest_whileAStepRuns_isDroppedAsBusy() throws Exception {
        List<Runnable> held = new ArrayList<>();
        EapServer s = withTls(held::add);
        EapResult c = get(s.handle(request(SWITCH, NAS, null, identity("host/pc1"))));
        int id = packet(c).identifier();
        byte[] hello = eap(EapPacket.RESPONSE, id, EapPacket.TLS, new byte[]{0, 22, 3, 1, 0, 0});
        var first = s.handle(request(SWITCH, NAS, state(c), hello));
        assertEquals(DropReason.EAP_CONVERSATION_BUSY, dropped(() -> s.handle(request(SWITCH, NAS, state(c), hello))));
        held.get(0).run();
        assertEquals(EapResult.Kind.REJECT, first.join().kind(), "a truncated ClientHello fails the handshake");
    }

    @Test
    void nextRequest_sentTheMomentTheAnswerLeaves_isNotDroppedAsBusy() throws Exception {
        List<Runnable> held = new ArrayList<>();
        EapServer s = withTls(held::add);
        EapResult c = get(s.handle(request(SWITCH, NAS, null, identity("host/pc1"))));
        int id = packet(c).identifier();
        // the first of several fragments (L and M flags): the server answers with an ACK request
        byte[] first = eap(EapPacket.RESPONSE, id, EapPacket.TLS, new byte[]{(byte) 0xC0, 0, 0, 7, 0, 22, 3});
        var answer = s.handle(request(SWITCH, NAS, state(c), first));
        List<Object> next = new ArrayList<>();
        answer.thenAccept(ack -> {
            // a fast supplicant: its next fragment arrives while the pool thread is still returning
            try {
                byte[] more = eap(EapPacket.RESPONSE, packet(ack).identifier(), EapPacket.TLS, new byte[]{0, 1, 0, 0, 0});
                next.add(s.handle(request(SWITCH, NAS, state(ack), more)));
            } catch (Exception | AssertionError e) {
                next.add(e);
            }
        });
        held.remove(0).run();
        assertEquals(1, next.size());
        assertTrue(next.get(0) instanceof java.util.concurrent.CompletableFuture, () -> "dropped: " + next.get(0));
    }

    @Test
    void warmUp_runsOnItsOwnThread_andLeavesNoConversationSessionOrCount() throws Exception {
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        List<Runnable> poolWork = new ArrayList<>();
        eap = EapServer.create(EapSettings.DISABLED.withTls(List.of(pki.trustedCas), pki.server.certFile(),
                pki.server.keyFile()).withWarmup(Duration.ofMillis(300)), clock, poolWork::add, mac -> List.of());
        TlsWarmUp.Result r = eap.warmUp().get(5, java.util.concurrent.TimeUnit.MINUTES);
        assertNull(r.failure());
        assertTrue(r.handshakes() > 0, () -> "no handshake: " + r);
        assertTrue(poolWork.isEmpty(), "the TLS pool is the supplicants'");
        EapStats st = eap.stats();
        assertEquals(0, st.started() + st.authenticated() + st.rejected() + st.conversations() + st.tlsFull());
        assertEquals(0, st.tlsSessionsCached());
    }

    @Test
    void warmUp_stopsWhenTheServerCloses_andNoneRunsWhenZero() throws Exception {
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        EapSettings s = EapSettings.DISABLED.withTls(List.of(pki.trustedCas), pki.server.certFile(), pki.server.keyFile());
        EapServer e = EapServer.create(s.withWarmup(EapSettings.MAX_WARMUP), clock, Runnable::run, mac -> List.of());
        e.close();
        TlsWarmUp.Result r = e.warmUp().get(5, java.util.concurrent.TimeUnit.MINUTES);
        assertTrue(r.stopped(), () -> "ended by the close, not by its 60 s or its handshakes: " + r);
        eap = EapServer.create(s, clock, Runnable::run, mac -> List.of());
        assertEquals(0, eap.warmUp().getNow(null).handshakes(), "zero: done at once, nothing run");
    }

    @Test
    void warmUp_outsideItsBounds_isRefusedNamingTheKey() {
        for (Duration d : List.of(Duration.ofSeconds(-1), EapSettings.MAX_WARMUP.plusSeconds(1))) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> EapSettings.DISABLED.withWarmup(d));
            assertTrue(x.getMessage().startsWith("radius.eap.tls.warmup"), x.getMessage());
        }
    }

    @Test
    void eapDisabled_rejectsWithEapFailure() throws Exception {
        eap = EapServer.create(EapSettings.DISABLED, clock, Runnable::run, mac -> List.of());
        EapResult r = get(eap.handle(request(SWITCH, NAS, null, identity("host/pc1"))));
        assertEquals(EapResult.Kind.REJECT, r.kind());
        assertEquals("eap_disabled", r.reason());
        assertEquals(EapPacket.FAILURE, EapPacket.parse(r.attributes().get(0).value()).code());
    }

    @Test
    void deviceIds_followTheConfiguredSources() {
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        String entra = "4c7d2a1e-9b3f-4e8a-a1b2-c3d4e5f60718";
        TestPki.Issued cert = pki.leaf("both", "CN=" + entra, pki.issuing, TestPki.ec(),
                List.of("IntuneDeviceId://" + TestWorld.COMPLIANT_ID.canonical()),
                org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth, TestWorld.NOW, Duration.ofDays(1));
        var found = io.nacgw.certs.DeviceIds.fromCertificate(cert.cert());
        io.nacgw.core.id.MacAddress mac = TestWorld.COMPLIANT;
        List<String> all = names(EapServer.deviceIds(DeviceIdSource.defaults(), cert.cert(), found, mac));
        assertEquals(List.of("intune_id:" + TestWorld.COMPLIANT_ID.canonical(), "entra_id:" + entra,
                "intune_id:" + entra, "mac:" + mac.canonical()), all);
        assertEquals(List.of("mac:" + mac.canonical(), "intune_id:" + TestWorld.COMPLIANT_ID.canonical()),
                names(EapServer.deviceIds(List.of(DeviceIdSource.CALLING_STATION_ID, DeviceIdSource.INTUNE_URI), cert.cert(),
                        found, mac)));
        assertEquals(List.of(), names(EapServer.deviceIds(List.of(DeviceIdSource.CALLING_STATION_ID), cert.cert(), found, null)));
    }

    private static List<String> names(List<io.nacgw.core.id.DeviceIdentifier> ids) {
        return ids.stream().map(i -> i.kind().name().toLowerCase(Locale.ROOT) + ":" + i.canonical()).toList();
    }
}
