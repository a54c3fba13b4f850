package io.nacgw.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.nacgw.core.concurrent.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ServerTls} that rebuilds itself when its files (server certificate and key, trusted CAs, CRLs) change.
 * New engines come from the newest context; engines already handed out keep theirs, so established connections
 * are untouched. A change is detected by content digest, not modification time, so a same-second or same-size
 * replacement is still seen. A broken replacement (e.g. a new certificate before its key has been copied) is
 * logged and the previous context stays in use until the files are consistent again.
 */
public final class ReloadingTlsContext implements ServerTls, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingTlsContext.class);

    private final ServerTlsConfig config;
    private final Object reloadLock = new Object();
    private volatile ServerTls current;
    private volatile Optional<String> lastError = Optional.empty();
    private List<byte[]> loadedDigests;
    private List<byte[]> attemptedDigests;
    private ScheduledExecutorService ownExecutor;
    private ScheduledFuture<?> poll;
    private final List<Runnable> reloadListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ReloadingTlsContext(ServerTlsConfig config) {
        this.config = config;
        List<byte[]> digests = digests(config.files());
        this.current = TlsContexts.server(config);
        this.loadedDigests = digests;
        this.attemptedDigests = digests;
    }

    /** Loads the context now (failing if the files are unusable); reloads only when {@link #reloadIfChanged()} runs. */
    public static ReloadingTlsContext create(ServerTlsConfig config) {
        return new ReloadingTlsContext(Objects.requireNonNull(config, "config"));
    }

    /** Loads the context now and checks the files every {@code period} on a daemon thread of its own. */
    public static ReloadingTlsContext start(ServerTlsConfig config, Duration period) {
        ReloadingTlsContext r = create(config);
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("nacgw-tls-reload"));
        r.ownExecutor = ex;
        r.schedule(ex, period);
        return r;
    }

    /** Checks the files every {@code period} on the caller's executor (which the caller shuts down). */
    public void pollOn(ScheduledExecutorService executor, Duration period) {
        schedule(executor, period);
    }

    private void schedule(ScheduledExecutorService executor, Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("reload period must be positive, was " + period);
        }
        synchronized (reloadLock) {
            if (poll != null) {
                throw new IllegalStateException("already polling");
            }
            long ms = period.toMillis();
            poll = executor.scheduleWithFixedDelay(this::pollOnce, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    private void pollOnce() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            LOG.warn("TLS reload check failed: {}", e.toString());
        }
    }

    /**
     * Rebuilds the context if any file's content changed since the last attempt. Returns true when a new context
     * is now in use; false when nothing changed or the new files are unusable (see {@link #lastError()}).
     */
    public boolean reloadIfChanged() {
        synchronized (reloadLock) {
            List<byte[]> now = digests(config.files());
            if (same(now, attemptedDigests)) {
                return false;
            }
            attemptedDigests = now;
            if (same(now, loadedDigests)) {
                lastError = Optional.empty();
                return false;
            }
            try {
                ServerTls next = TlsContexts.server(config);
                current = next;
                loadedDigests = now;
                lastError = Optional.empty();
                LOG.info("reloaded TLS context from {}: server certificate {} serial {}", config.files(),
                        next.certificate().getSubjectX500Principal().getName(),
                        next.certificate().getSerialNumber().toString(16));
                for (Runnable l : reloadListeners) {
                    try {
                        l.run();
                    } catch (RuntimeException e) {
                        LOG.error("TLS reload listener failed", e);
                    }
                }
                return true;
            } catch (CertsException e) {
                lastError = Optional.of(e.getMessage());
                LOG.warn("TLS files changed but cannot be loaded, keeping the previous context: {}", e.getMessage());
                return false;
            }
        }
    }

    /**
     * Runs {@code listener} on the reloading thread after each successful reload, e.g. to close connections whose
     * client certificate the new CRL revokes (engines already handed out keep the context they were made with).
     */
    public void onReload(Runnable listener) {
        reloadListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Why the last reload attempt failed, while the files stay unusable. */
    public Optional<String> lastError() {
        return lastError;
    }

    @Override
    public SSLEngine newEngine() {
        return current.newEngine();
    }

    @Override
    public SSLContext sslContext() {
        return current.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return current.sslParameters();
    }

    @Override
    public X509Certificate certificate() {
        return current.certificate();
    }

    @Override
    public boolean stillTrusts(X509Certificate[] chain) {
        return current.stillTrusts(chain);
    }

    /** Stops polling (and the own thread of {@link #start}); engines already created keep working. */
    @Override
    public void close() {
        synchronized (reloadLock) {
            if (poll != null) {
                poll.cancel(false);
                poll = null;
            }
            if (ownExecutor != null) {
                ownExecutor.shutdownNow();
                ownExecutor = null;
            }
        }
    }

    private static boolean same(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<byte[]> digests(List<Path> files) {
        List<byte[]> out = new ArrayList<>(files.size());
        for (Path p : files) {
            try {
                out.add(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
            } catch (NoSuchFileException e) {
                out.add(new byte[0]);
            } catch (IOException e) {
                out.add(new byte[] {1});
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ReloadingTlsContext[" + current + "]";
    }
}
