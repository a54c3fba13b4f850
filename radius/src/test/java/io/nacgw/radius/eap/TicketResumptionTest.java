package io.nacgw.radius.eap;

import io.nacgw.certs.ClientChainVerifier;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.radius.TestWorld;
import io.nacgw.tlsclient.DeviceTlsClient;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.SessionParameters;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS 1.2 session tickets end to end in memory: the gateway's EAP-TLS server side ({@link TlsConversation} over a
 * {@link TlsMaterial} loaded from settings, as each gateway loads its own) against a bctls client that offers and
 * presents tickets. What eapol_test cannot do is here: a second gateway sharing the key file, a revoked
 * certificate's ticket, expiry, and tickets turned off.
 */
final class TicketResumptionTest {
    private static final int FRAGMENT = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static TestPki.Issued device;
    private static Path keyFile;

    @BeforeAll
    static void pki() throws IOException {
        pki = new TestPki(dir, TestWorld.NOW, false);
        device = pki.device("dev-ticket", TestWorld.COMPLIANT_ID.canonical(), TestPki.ec());
        keyFile = dir.resolve("ticket.key");
        Files.writeString(keyFile, "8f2c6a1e9b0d4f7a3c5e8b1d2f4a6c9e0b3d5f7a9c1e3b5d7f9a2c4e6b8d0f1a\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    }

    private static EapSettings settings(boolean tickets, Path key) {
        return EapSettings.DISABLED.withTls(List.of(pki.trustedCas), pki.server.certFile(), pki.server.keyFile())
                .withTickets(tickets, key);
    }

    private static MutableClock clock() {
        return new MutableClock(TestWorld.NOW);
    }

    /** What one handshake left: the server's last step and peer, the client's ticket and session. */
    private record Outcome(TlsConversation.Step step, EapTlsPeer server, Supplicant client) {
        boolean done() {
            return step.kind() == TlsConversation.Step.Kind.DONE;
        }
    }

    private static Outcome handshake(TlsMaterial gateway, Supplicant client) throws Exception {
        TlsConversation server = new TlsConversation(gateway);
        TlsClientProtocol protocol = new TlsClientProtocol();
        try {
            protocol.connect(client);
            return new Outcome(TlsWarmUp.converse(server, protocol, FRAGMENT), server.peer(), client);
        } finally {
            server.close();
            protocol.close();
        }
    }

    @Test
    void fullHandshake_issuesATicket_keepsNoSession_andTheTicketResumes() throws Exception {
        TlsMaterial gateway = TlsMaterial.load(settings(true, null), clock());
        Outcome full = handshake(gateway, new Supplicant(null));
        assertTrue(full.done(), full.step()::toString);
        assertFalse(full.server().resumed());
        byte[] ticket = full.client().ticket();
        assertNotNull(ticket, "a NewSessionTicket was sent");
        assertTrue(ticket.length > 100, "the ticket holds the session");
        assertEquals(0, full.client().sessionId.length, "no session id: the ticket is the session");
        assertEquals(0, gateway.sessionsCached(), "stateless: the gateway keeps nothing");
        assertEquals(1, gateway.tickets().issued());

        Outcome resumed = handshake(gateway, full.client().next());
        assertTrue(resumed.done(), resumed.step()::toString);
        assertTrue(resumed.server().resumed() && resumed.server().resumedByTicket());
        assertTrue(resumed.client().resumed(), "the client resumed too (its Finished verified)");
        assertNotNull(resumed.server().clientChain(), "the chain from the ticket was verified again");
        assertEquals(device.cert(), resumed.server().clientChain()[0]);
        assertNull(resumed.client().ticket(), "a resumption sends no new ticket (the first one's lifetime bounds it)");
    }

    @Test
    void cbcSuiteWithEncryptThenMac_resumesWithTheSameRecordProtection() throws Exception {
        TlsMaterial gateway = TlsMaterial.load(settings(true, null), clock());
        Supplicant first = new Supplicant(null);
        first.cbc = true;
        Outcome full = handshake(gateway, first);
        assertTrue(full.done(), full.step()::toString);
        assertTrue(full.client().encryptThenMac, "the CBC suite ran with encrypt-then-MAC");
        Supplicant again = full.client().next();
        again.cbc = true;
        Outcome resumed = handshake(gateway, again);
        assertTrue(resumed.done() && resumed.server().resumedByTicket(), resumed.step()::toString);
        assertTrue(resumed.client().encryptThenMac, "the ticket kept encrypt-then-MAC for the resumed session");
    }

    @Test
    void ticketOfOneGateway_resumesOnAnotherSharingTheKeyFile_notOnOneWithItsOwnKey() throws Exception {
        TlsMaterial a = TlsMaterial.load(settings(true, keyFile), clock());
        TlsMaterial b = TlsMaterial.load(settings(true, keyFile), clock());
        TlsMaterial c = TlsMaterial.load(settings(true, null), clock());
        Outcome full = handshake(a, new Supplicant(null));
        assertTrue(full.done(), full.step()::toString);

        Outcome onB = handshake(b, full.client().next());
        assertTrue(onB.done() && onB.server().resumedByTicket(), onB.step()::toString);

        Outcome onC = handshake(c, full.client().next());
        assertTrue(onC.done(), onC.step()::toString);
        assertFalse(onC.server().resumed(), "a gateway without the key runs a full handshake");
        assertFalse(onC.client().resumed());
        assertEquals(1, c.tickets().refused(SessionTickets.Refusal.UNKNOWN_KEY));
        assertNotNull(onC.client().ticket(), "and issues its own ticket");
    }

    @Test
    void revokedCertificate_itsTicketIsRefusedOnResumption() throws Exception {
        TestPki.Issued revoked = pki.device("dev-ticket-revoked", TestWorld.COMPLIANT_ID.canonical(), TestPki.ec());
        MutableClock clock = clock();
        TlsMaterial gateway = TlsMaterial.load(settings(true, null), clock);
        Outcome full = handshake(gateway, new Supplicant(null, revoked));
        assertTrue(full.done(), full.step()::toString);

        Path crl = pki.revoke(revoked.cert());
        gateway.verifier(ClientChainVerifier.load(List.of(pki.trustedCas), List.of(crl), clock));
        Outcome again = handshake(gateway, full.client().next());
        assertEquals(TlsConversation.Step.Kind.FAILED, again.step().kind(), again.step()::toString);
        assertEquals("certificate_revoked", again.step().reason());
        assertTrue(again.server().resumedByTicket(), "refused on the resumed session, as for a session id");
    }

    @Test
    void expiredTicket_isAFullHandshake_counted() throws Exception {
        MutableClock clock = clock();
        TlsMaterial gateway = TlsMaterial.load(settings(true, null), clock);
        Outcome full = handshake(gateway, new Supplicant(null));
        clock.advance(EapSettings.DISABLED.sessionLifetime());
        Outcome late = handshake(gateway, full.client().next());
        assertTrue(late.done(), late.step()::toString);
        assertFalse(late.server().resumed());
        assertEquals(1, gateway.tickets().refused(SessionTickets.Refusal.EXPIRED));
    }

    @Test
    void garbageTicket_isAFullHandshake_counted_neverAnAlert() throws Exception {
        TlsMaterial gateway = TlsMaterial.load(settings(true, null), clock());
        byte[] garbage = new byte[300];
        RANDOM.nextBytes(garbage);
        Outcome full = handshake(gateway, new Supplicant(null));
        Supplicant forged = full.client().next();
        forged.offeringTicket(garbage);
        Outcome o = handshake(gateway, forged);
        assertTrue(o.done(), o.step()::toString);
        assertFalse(o.server().resumed());
        assertEquals(1, gateway.tickets().refused(SessionTickets.Refusal.UNKNOWN_KEY));
    }

    @Test
    void ticketsOff_theClientGetsASessionIdInstead_andResumesByIt() throws Exception {
        TlsMaterial gateway = TlsMaterial.load(settings(false, null), clock());
        assertNull(gateway.tickets());
        Outcome full = handshake(gateway, new Supplicant(null));
        assertTrue(full.done(), full.step()::toString);
        assertNull(full.client().ticket(), "no NewSessionTicket");
        assertEquals(32, full.client().sessionId.length);
        assertEquals(1, gateway.sessionsCached());
        Supplicant byId = new Supplicant(TlsUtils.importSession(full.client().sessionId, full.client().parameters));
        Outcome resumed = handshake(gateway, byId);
        assertTrue(resumed.done() && resumed.server().resumed(), resumed.step()::toString);
        assertFalse(resumed.server().resumedByTicket());
    }

    @Test
    void startUpLine_namesWhereTheTicketKeysComeFrom_neverTheKey() throws Exception {
        assertEquals("resumption by session id and by ticket, ticket keys from random (this process only)",
                EapServer.resumption(TlsMaterial.load(settings(true, null), clock())));
        String file = EapServer.resumption(TlsMaterial.load(settings(true, keyFile), clock()));
        assertEquals("resumption by session id and by ticket, ticket keys from file " + keyFile, file);
        assertEquals("resumption by session id", EapServer.resumption(TlsMaterial.load(settings(false, keyFile), clock())));
    }

    /** A TLS 1.2 supplicant that offers the SessionTicket extension (empty, or with a ticket and a session id). */
    private static final class Supplicant extends DeviceTlsClient {
        private final TestPki.Issued dev;
        byte[] sessionId;
        SessionParameters parameters;
        /** Offer a CBC suite only (with encrypt-then-MAC, which bctls offers for CBC suites). */
        boolean cbc;
        boolean encryptThenMac;

        Supplicant(TlsSession resume) {
            this(resume, device);
        }

        Supplicant(TlsSession resume, TestPki.Issued dev) {
            super(new BcTlsCrypto(RANDOM), dev.cert(), dev.keys().getPrivate(), false);
            resuming(resume).offeringTicket(null);
            this.dev = dev;
        }

        /** The next connection of this device: the ticket it got, with a fresh session id (RFC 5077 §3.4). */
        Supplicant next() {
            byte[] id = new byte[32];
            RANDOM.nextBytes(id);
            Supplicant s = new Supplicant(TlsUtils.importSession(id, parameters), dev);
            s.offeringTicket(ticket());
            return s;
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return cbc ? new int[]{CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256} : super.getSupportedCipherSuites();
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            encryptThenMac = context.getSecurityParametersConnection().isEncryptThenMAC();
            sessionId = context.getSecurityParametersConnection().getSessionID();
            parameters = context.getSession().exportSessionParameters();
        }
    }
}
