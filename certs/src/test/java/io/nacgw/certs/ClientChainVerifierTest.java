package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nacgw.core.testing.MutableClock;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EAP-TLS's chain check: the cache of accepted chains never lets a revoked or expired certificate through. */
final class ClientChainVerifierTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(T0);
    private final CaMaterial ca = TestCerts.foreignCa("CN=Contoso Intune SCEP CA", null);
    private final X509Certificate device = TestCerts.device(ca, TestCerts.ecKeys(), "CN=device-1",
            T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofMinutes(5)));

    private ClientChainVerifier verifier() {
        Path caFile = tmp.resolve("ca.pem");
        TestCerts.writeChain(caFile, ca.certificate());
        return ClientChainVerifier.load(List.of(caFile), List.of(), clock);
    }

    private static List<byte[]> der(X509Certificate... chain) throws Exception {
        List<byte[]> out = new java.util.ArrayList<>();
        for (X509Certificate c : chain) {
            out.add(c.getEncoded());
        }
        return out;
    }

    @Test
    void verify_sameChainBytesAgain_isAnsweredFromTheCache() throws Exception {
        ClientChainVerifier v = verifier();

        X509Certificate[] first = v.verify(der(device));
        X509Certificate[] second = v.verify(der(device));

        assertEquals(device, first[0]);
        assertEquals(device, second[0]);
        assertEquals(1, v.fullChecks(), "the second check is answered from the cache");
        assertEquals(1, v.cachedChains());
    }

    @Test
    void cachedChain_revokedByANewCrl_isRejected() throws Exception {
        ClientChainVerifier v = verifier();
        v.verify(der(device));
        IssuedCert revoked = new IssuedCert(device.getSerialNumber(), "device-1", Optional.empty(),
                device.getNotBefore().toInstant(), device.getNotAfter().toInstant(), Optional.of(T0));
        byte[] crl = X509Factory.crl(ca, List.of(revoked), BigInteger.ONE, T0, T0.plus(Duration.ofDays(7)))
                .getEncoded();

        ClientChainVerifier withCrl = v.withCrls(Map.of("http://crl.contoso.test/scep.crl", crl));
        v.verify(der(device));
        assertEquals(1, v.fullChecks(), "cached by the verifier without the CRL");

        PeerCertificateRejectedException e = assertThrows(PeerCertificateRejectedException.class,
                () -> withCrl.verify(der(device)));
        assertEquals(RejectReason.REVOKED, e.reason());
        assertEquals(0, withCrl.cachedChains());
    }

    @Test
    void cachedChain_pastItsNotAfter_isRejectedAsExpired() throws Exception {
        ClientChainVerifier v = verifier();
        v.verify(der(device));
        clock.advance(Duration.ofMinutes(4));
        v.verify(der(device));
        assertEquals(1, v.fullChecks(), "still cached a minute before notAfter");

        clock.advance(Duration.ofMinutes(2)); // one minute past notAfter, within the cache's lifetime

        PeerCertificateRejectedException e = assertThrows(PeerCertificateRejectedException.class,
                () -> v.verify(der(device)));
        assertEquals(RejectReason.EXPIRED, e.reason());
        assertEquals(0, v.cachedChains());
    }

    @Test
    void cachedChain_isCheckedAgain_afterTheCacheLifetime() throws Exception {
        X509Certificate longLived = TestCerts.device(ca, TestCerts.ecKeys(), "CN=device-2",
                T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(365)));
        ClientChainVerifier v = verifier();
        v.verify(der(longLived));
        clock.advance(ClientChainVerifier.CACHE_TTL.minusSeconds(1));
        v.verify(der(longLived));
        assertEquals(1, v.fullChecks());

        clock.advance(Duration.ofSeconds(1));
        v.verify(der(longLived));

        assertEquals(2, v.fullChecks(), "parsed and verified again");
    }

    @Test
    void refusedChain_isNotCached() throws Exception {
        CaMaterial other = TestCerts.foreignCa("CN=Someone else's CA", null);
        X509Certificate stranger = TestCerts.device(other, TestCerts.ecKeys(), "CN=stranger",
                T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)));
        ClientChainVerifier v = verifier();

        for (int i = 0; i < 2; i++) {
            assertEquals(RejectReason.UNKNOWN_CA, assertThrows(PeerCertificateRejectedException.class,
                    () -> v.verify(der(stranger))).reason());
        }
        assertEquals(0, v.cachedChains());
    }

    @Test
    void acceptedChains_keepTheMostRecentlyUsed_withinTheirBound() throws Exception {
        AcceptedChains cache = new AcceptedChains(2);
        X509Certificate[] a = {device};
        AcceptedChains.Key ka = new AcceptedChains.Key(der(device));
        X509Certificate b = TestCerts.device(ca, TestCerts.ecKeys(), "CN=b", T0, T0.plus(Duration.ofDays(1)));
        X509Certificate c = TestCerts.device(ca, TestCerts.ecKeys(), "CN=c", T0, T0.plus(Duration.ofDays(1)));
        Instant deadline = T0.plus(Duration.ofMinutes(1));
        cache.put(ka, a, T0, deadline);
        cache.put(new AcceptedChains.Key(der(b)), new X509Certificate[]{b}, T0, deadline);
        cache.get(ka, T0); // a is now more recently used than b

        cache.put(new AcceptedChains.Key(der(c)), new X509Certificate[]{c}, T0, deadline);

        assertEquals(2, cache.size());
        assertSame(device, cache.get(ka, T0)[0]);
        assertEquals(null, cache.get(new AcceptedChains.Key(der(b)), T0));
    }
}
