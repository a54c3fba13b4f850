package io.nacgw.radius.eap;

import io.nacgw.certs.ClientChainVerifier;
import io.nacgw.core.concurrent.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fetches the CRLs at {@code radius.eap.tls.crlUrls} on its own thread, at start and every {@code crlRefresh},
 * and swaps the verifier the handshakes use; the request path never waits for it. A failed fetch keeps the last
 * good copy of that CRL (WARN, counted).
 */
final class CrlFetcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CrlFetcher.class);
    private static final int MAX_CRL_BYTES = 32 * 1024 * 1024;

    private final EapSettings settings;
    private final TlsMaterial tls;
    private final ClientChainVerifier base;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final Map<String, byte[]> good = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();

    /** A fetcher that has not started; {@link #fetchAll} runs one round on the caller's thread. */
    CrlFetcher(EapSettings settings, TlsMaterial tls) {
        this.settings = settings;
        this.tls = tls;
        this.base = tls.verifier();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("nacgw-eap-crl"));
    }

    static CrlFetcher start(EapSettings settings, TlsMaterial tls) {
        CrlFetcher f = new CrlFetcher(settings, tls);
        f.timer.scheduleWithFixedDelay(f::fetchAll, 0, settings.crlRefresh().toMillis(), TimeUnit.MILLISECONDS);
        return f;
    }

    /** One round: fetch every URL, then install the CRLs that parse and verify. */
    void fetchAll() {
        for (URI u : settings.crlUrls()) {
            try {
                HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(30)).GET()
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                if (resp.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + resp.statusCode());
                }
                if (resp.body().length > MAX_CRL_BYTES) {
                    throw new IllegalStateException("larger than " + MAX_CRL_BYTES + " bytes");
                }
                Map<String, byte[]> one = Map.of(u.toString(), resp.body());
                base.withCrls(one); // parses and checks the signature before it replaces the last good copy
                good.put(u.toString(), resp.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures.increment();
                log.warn("cannot fetch CRL {} (keeping the last good copy: {}): {}", u, good.containsKey(u.toString()),
                        e.getMessage());
            }
        }
        tls.verifier(base.withCrls(new LinkedHashMap<>(good)));
    }

    long failures() {
        return failures.sum();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
