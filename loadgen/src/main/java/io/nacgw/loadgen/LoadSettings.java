package io.nacgw.loadgen;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One load run. Exactly one of {@code concurrency} (closed loop: that many requests outstanding, the next sent when
 * one completes) and {@code rate} (open loop: requests per second on a fixed schedule, latency measured from each
 * request's intended send time so a slow server cannot hide its stalls) is positive; likewise {@code duration}
 * or {@code requests} bounds the measured part, which follows the {@code warmup}.
 *
 * @param secret        the shared secret's bytes; {@link #toString()} never prints them
 * @param sources       UDP source ports; each carries at most 256 outstanding requests (the 8-bit identifier)
 * @param threads       event-loop threads (the generator shares the machine with the server: keep it small)
 * @param unknownShare  share of requests for MACs that belong to no device (0-1)
 * @param seed          seed of the device picks, so two runs send the same sequence
 * @param serverPid     the server's process id on this machine, to report its CPU over the measured window; 0: none
 * @param receiveBufferBytes  SO_RCVBUF of each UDP source port (the kernel caps it at net.core.rmem_max): answers
 *                      arriving while the generator is busy wait there; what does not fit is dropped and reported
 */
public record LoadSettings(InetSocketAddress target, byte[] secret, int concurrency, double rate, Duration duration,
                           long requests, Duration warmup, RequestShape shape, boolean messageAuthenticator,
                           boolean requireReplyMessageAuthenticator, int sources, int threads, Duration timeout,
                           int retries, double unknownShare, long seed, boolean nativeTransport,
                           long serverPid, int receiveBufferBytes) {
    /** 4 MiB: about 4,000 answers of a few hundred bytes on loopback, 80 ms at 50,000 answers/s. */
    public static final int DEFAULT_RECEIVE_BUFFER = 4 << 20;

    public LoadSettings {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(secret, "secret");
        if (secret.length == 0) {
            throw new IllegalArgumentException("the shared secret is empty");
        }
        secret = secret.clone();
        if ((concurrency > 0) == (rate > 0)) {
            throw new IllegalArgumentException("give exactly one of --concurrency and --rate");
        }
        if (concurrency < 0 || rate < 0 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("--concurrency and --rate must be positive");
        }
        boolean hasDuration = duration != null && !duration.isZero();
        if (hasDuration == (requests > 0)) {
            throw new IllegalArgumentException("give exactly one of --duration and --requests");
        }
        if (hasDuration && duration.isNegative() || requests < 0) {
            throw new IllegalArgumentException("--duration and --requests must be positive");
        }
        warmup = warmup == null ? Duration.ZERO : warmup;
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        Objects.requireNonNull(shape, "shape");
        if (sources < 1 || sources > 1024) {
            throw new IllegalArgumentException("--sources must be 1-1024, got " + sources);
        }
        if (concurrency > 0 && concurrency > 256L * sources) {
            throw new IllegalArgumentException("--concurrency " + concurrency + " needs at least "
                    + ((concurrency + 255) / 256) + " --sources (256 identifiers per source port)");
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("--threads must be 1-64, got " + threads);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 ms");
        }
        if (retries < 0 || retries > 10) {
            throw new IllegalArgumentException("--retries must be 0-10, got " + retries);
        }
        if (serverPid < 0) {
            throw new IllegalArgumentException("--server-pid must be a process id");
        }
        if (receiveBufferBytes < 1 || receiveBufferBytes > 1 << 30) {
            throw new IllegalArgumentException("--receive-buffer must be 1 byte to 1 GiB, got " + receiveBufferBytes);
        }
        if (!(unknownShare >= 0 && unknownShare <= 1)) {
            throw new IllegalArgumentException("--unknown must be between 0 and 1, got " + unknownShare);
        }
    }

    /**
     * Sources to use when none are given: at most 64 of each port's 256 identifiers busy. Identifiers are reused
     * least-recently-freed first, so at least 192 other requests pass before one comes back: servers that keep a
     * request's slot a little after answering (FreeRADIUS logs "conflicting packet" otherwise) never see a reuse.
     */
    public static int defaultSources(int concurrency, double rate) {
        if (concurrency > 0) {
            return Math.max(1, (concurrency + 63) / 64);
        }
        return 8;
    }

    /** True for the closed loop (fixed concurrency). */
    public boolean closedLoop() {
        return concurrency > 0;
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public String toString() {
        return "LoadSettings[target=" + target.getAddress().getHostAddress() + ":" + target.getPort() + ", secret=***, " + (closedLoop() ? "concurrency=" + concurrency : "rate=" + rate)
                + ", " + (requests > 0 ? "requests=" + requests : "duration=" + duration) + ", warmup=" + warmup
                + ", shape=" + shape + ", messageAuthenticator=" + messageAuthenticator + ", sources=" + sources
                + ", threads=" + threads + ", timeout=" + timeout + ", retries=" + retries + ", unknown=" + unknownShare
                + (serverPid > 0 ? ", serverPid=" + serverPid : "") + ", receiveBuffer=" + receiveBufferBytes + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadSettings && toString().equals(o.toString())
                && java.util.Arrays.equals(secret, ((LoadSettings) o).secret);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
