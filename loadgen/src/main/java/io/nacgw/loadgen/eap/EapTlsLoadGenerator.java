package io.nacgw.loadgen.eap;

import io.nacgw.core.concurrent.DaemonThreads;
import io.nacgw.loadgen.Expectations;
import io.nacgw.loadgen.Expected;
import io.nacgw.loadgen.LoadSettings;
import io.nacgw.loadgen.Report;
import io.nacgw.loadgen.RequestShape;
import io.nacgw.loadgen.ServerCpuWindow;
import io.nacgw.loadgen.radius.ReplyError;
import org.HdrHistogram.Histogram;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives a RADIUS server with 802.1X EAP-TLS conversations: {@code concurrency} supplicants, each on its own UDP
 * socket and thread, authenticate the devices in turn with full TLS handshakes, or, with {@code resume}, resume each
 * device's earlier TLS 1.2 session (a device's first conversation is a full one; run a warm-up to make them). Every
 * conversation is checked (authenticators, EAP-Success, MS-MPPE keys against the client's own derivation, the VLAN
 * expected for the device's class) and one "answer" of the report is one whole conversation; with {@code resume}
 * the throughput and latency count the resumed conversations only. Closed loop only.
 */
public final class EapTlsLoadGenerator {
    /**
     * @param tls13        TLS 1.3 (RFC 9190) instead of TLS 1.2
     * @param resume       offer each device's last TLS 1.2 session; a full handshake then counts as {@code not_resumed}
     * @param tickets      offer TLS 1.2 session tickets (RFC 5077), and with {@code resume} resume by the ticket, not by
     *                     session id
     * @param fragmentSize TLS bytes per EAP-TLS response (the server's own fragment size governs its side)
     */
    public record Settings(boolean tls13, boolean resume, boolean tickets, int fragmentSize) {
        public Settings {
            if (tls13 && resume) {
                throw new IllegalArgumentException("--eap-resume needs TLS 1.2 (nacgw's BouncyCastle sends no TLS 1.3 tickets)");
            }
            if (tls13 && tickets) {
                throw new IllegalArgumentException("--eap-tickets needs TLS 1.2 (session tickets of RFC 5077)");
            }
            if (fragmentSize < 200 || fragmentSize > 4000) {
                throw new IllegalArgumentException("--eap-fragment-size must be 200-4000, got " + fragmentSize);
            }
        }

        /** e.g. {@code eap-tls (TLS 1.2, full handshakes)}. */
        public String shapeName() {
            return "eap-tls (TLS " + (tls13 ? "1.3" : "1.2") + ", " + (resume ? "resumed" : "full") + " handshakes"
                    + (resume ? tickets ? ", by session ticket" : ", by session id" : tickets ? ", session tickets offered" : "")
                    + ")";
        }
    }

    private EapTlsLoadGenerator() {
    }

    /** Runs to completion (warm-up, then the duration or the measured conversation count) and reports. */
    public static Report run(LoadSettings s, Settings e, List<EapTlsDevices.Device> devices, Expectations expectations,
                             PrintWriter progress) throws InterruptedException, IOException {
        if (!s.closedLoop()) {
            throw new IllegalArgumentException("--shape eap-tls runs a closed loop: give --concurrency");
        }
        if (s.shape() != RequestShape.EAP_TLS) {
            throw new IllegalArgumentException("settings are for --shape " + s.shape());
        }
        JcaTlsCrypto crypto = new JcaTlsCryptoProvider().setProvider(new BouncyCastleProvider())
                .create(new SecureRandom());
        int workers = s.concurrency();
        List<EapTlsSupplicant> supplicants = new ArrayList<>();
        Shared shared = new Shared(devices.size());
        long cpuStart = cpuNanos();
        long wallStart = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        ServerCpuWindow serverCpu = new ServerCpuWindow(s.serverPid());
        try {
            for (int w = 0; w < workers; w++) {
                supplicants.add(new EapTlsSupplicant(s.target(), s.secret(), crypto, e.tls13(), e.tickets(), e.fragmentSize(),
                        s.messageAuthenticator(), s.requireReplyMessageAuthenticator(), (int) s.timeout().toMillis(),
                        s.retries()));
            }
            long start = System.nanoTime();
            shared.warmupEnd = start + s.warmup().toNanos();
            shared.end = s.requests() > 0 ? Long.MAX_VALUE : shared.warmupEnd + s.duration().toNanos();
            for (int w = 0; w < workers; w++) {
                Histogram h = new Histogram(3);
                histograms.add(h);
                int worker = w;
                EapTlsSupplicant sup = supplicants.get(w);
                Thread t = DaemonThreads.thread(() -> work(worker, workers, sup, s, e, devices, expectations, shared, h),
                        "loadgen-eap-" + w);
                threads.add(t);
                t.start();
            }
            long lastPrint = start;
            long lastCount = 0;
            for (Thread t : threads) {
                while (t.isAlive()) {
                    t.join(20);
                    long now = System.nanoTime();
                    if (now >= shared.warmupEnd) {
                        serverCpu.start(now);
                    }
                    if (now >= shared.end) {
                        serverCpu.end(now);
                    }
                    if (progress != null && now - lastPrint >= TimeUnit.SECONDS.toNanos(1)) {
                        long count = shared.done.sum();
                        progress.printf(Locale.ROOT, "%6.1fs %s %7.0f conversations/s  measured %d  errors %d%n",
                                (now - start) / 1e9, now < shared.warmupEnd ? "warm-up " : "",
                                (count - lastCount) / ((now - lastPrint) / 1e9), shared.answers.sum(), shared.errorCount());
                        progress.flush();
                        lastPrint = now;
                        lastCount = count;
                    }
                }
            }
            serverCpu.end(System.nanoTime()); // --requests: when the last conversation ended
        } finally {
            shared.stopped = true;
            supplicants.forEach(EapTlsSupplicant::close);
        }
        Histogram total = new Histogram(3);
        histograms.forEach(total::add);
        double cpu = (cpuNanos() - cpuStart) / 1e9;
        double wall = (System.nanoTime() - wallStart) / 1e9;
        return report(s, e, expectations, shared, total, cpu, wall, serverCpu.percent());
    }

    /** What the workers share: the run's clock and stop rule, counters and the TLS sessions by device. */
    private static final class Shared {
        final AtomicReferenceArray<TlsSession> sessions;
        final AtomicLong measuredIssued = new AtomicLong();
        final LongAdder done = new LongAdder();
        final LongAdder answers = new LongAdder();
        final LongAdder ok = new LongAdder();
        final LongAdder warmup = new LongAdder();
        final LongAdder sent = new LongAdder();
        final LongAdder retransmissions = new LongAdder();
        final LongAdder socketErrors = new LongAdder();
        final Map<ReplyError, LongAdder> errors = new EnumMap<>(ReplyError.class);
        final Map<String, LongAdder> verdicts = new ConcurrentHashMap<>();
        volatile long warmupEnd;
        volatile long end;
        volatile long lastAnswer;
        volatile boolean stopped;

        Shared(int devices) {
            sessions = new AtomicReferenceArray<>(devices);
            for (ReplyError r : ReplyError.values()) {
                errors.put(r, new LongAdder());
            }
        }

        long errorCount() {
            return errors.values().stream().mapToLong(LongAdder::sum).sum();
        }
    }

    private static void work(int worker, int workers, EapTlsSupplicant sup, LoadSettings s, Settings e,
                             List<EapTlsDevices.Device> devices, Expectations expectations, Shared shared, Histogram h) {
        long k = 0;
        while (!shared.stopped) {
            long begin = System.nanoTime();
            if (begin >= shared.end) {
                return;
            }
            boolean measured = begin >= shared.warmupEnd;
            if (measured && s.requests() > 0 && shared.measuredIssued.incrementAndGet() > s.requests()) {
                return;
            }
            int i = (int) ((worker + k * workers) % devices.size());
            k++;
            EapTlsDevices.Device d = devices.get(i);
            TlsSession offered = e.resume() ? shared.sessions.get(i) : null;
            EapTlsSupplicant.Outcome o;
            try {
                o = sup.authenticate(d, offered, 1 + i % 48);
            } catch (IOException ex) {
                shared.socketErrors.increment();
                continue;
            }
            long finished = System.nanoTime();
            if (o.session() != null) {
                shared.sessions.set(i, o.session());
            }
            shared.done.increment();
            shared.sent.add(o.requests());
            shared.retransmissions.add(o.retransmissions());
            if (!measured) {
                shared.warmup.increment();
                continue;
            }
            shared.answers.increment();
            ReplyError error = o.error();
            Expected want = expectations.of(d.cls());
            if (error == null && !want.matches(o.accepted(), o.vlan())) {
                error = ReplyError.VERDICT_MISMATCH;
            }
            if (error == null && offered != null && o.accepted() && !o.resumed()) {
                error = ReplyError.NOT_RESUMED;
            }
            if (error != null) {
                shared.errors.get(error).increment();
                continue;
            }
            shared.ok.increment();
            String verdict = d.cls().wireName() + " " + (o.accepted() ? o.vlan() == null ? "accept" : "accept:" + o.vlan()
                    : "reject") + (o.accepted() ? o.resumed() ? " resumed" : " full" : "");
            shared.verdicts.computeIfAbsent(verdict, x -> new LongAdder()).increment();
            // with resumption, throughput and latency are those of resumed conversations (a device's first is full)
            if (finished <= shared.end && (!e.resume() || o.resumed())) {
                h.recordValue(Math.max(1, finished - begin));
                shared.lastAnswer = finished;
            }
        }
    }

    private static Report report(LoadSettings s, Settings e, Expectations expectations, Shared shared, Histogram h,
                                 double cpu, double wall, double serverCpuPercent) {
        double seconds;
        if (shared.end != Long.MAX_VALUE) {
            seconds = (shared.end - shared.warmupEnd) / 1e9;
        } else {
            seconds = shared.lastAnswer <= shared.warmupEnd ? 0 : (shared.lastAnswer - shared.warmupEnd) / 1e9;
        }
        Map<String, Long> verdicts = new LinkedHashMap<>();
        shared.verdicts.forEach((k, v) -> verdicts.put(k, v.sum()));
        Map<String, Long> errors = new LinkedHashMap<>();
        long correctness = 0;
        long availability = 0;
        for (ReplyError r : ReplyError.values()) {
            long n = shared.errors.get(r).sum();
            errors.put(r.wireName(), n);
            if (r.isCorrectnessError()) {
                correctness += n;
            } else {
                availability += n;
            }
        }
        availability += shared.socketErrors.sum();
        long inWindow = h.getTotalCount();
        boolean any = inWindow > 0;
        return new Report(s.target().getAddress().getHostAddress() + ":" + s.target().getPort(),
                "closed loop, " + s.concurrency() + " conversations outstanding", e.shapeName(), s.messageAuthenticator(),
                s.concurrency(), expectations.toString(), seconds, shared.sent.sum(), shared.retransmissions.sum(),
                shared.answers.sum(), shared.ok.sum(), shared.warmup.sum(), 0, shared.socketErrors.sum(),
                seconds > 0 ? inWindow / seconds : 0, ms(any, h, 50), ms(any, h, 90), ms(any, h, 99), ms(any, h, 99.9),
                any ? h.getMaxValue() / 1e6 : 0, any ? h.getMean() / 1e6 : 0, verdicts, errors, correctness,
                availability, cpu, wall > 0 ? 100 * cpu / wall : 0, serverCpuPercent, Report.Sender.NOT_MEASURED);
    }

    private static double ms(boolean any, Histogram h, double p) {
        return any ? h.getValueAtPercentile(p) / 1e6 : 0;
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return Math.max(0, ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime());
        }
        return 0;
    }
}
