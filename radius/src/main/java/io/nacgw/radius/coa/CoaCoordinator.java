package io.nacgw.radius.coa;

import io.nacgw.core.session.CoaClaims;
import io.nacgw.core.session.Session;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Shared mode: makes each CoA a device change calls for go out from exactly one node, and still go out when the
 * node that owns the session is dead. Every node learns of every committed change (its own commits, and the change
 * log for the others'), so every node would send it; instead:
 * <ul>
 * <li>the session's owner ({@link Session#owner()}: the node that recorded its last Access-Accept or accounting,
 *     i.e. the RADIUS server the NAS uses now) claims the CoA at once and sends it if the claim is won;</li>
 * <li>any other node defers it; on each heartbeat it drops it once the owner's heartbeat says the owner has looked
 *     at every change it received up to {@code ownerGrace} after this node received this one, or claims and sends
 *     it itself when the owner's heartbeat is older than {@code nodeTimeout} (or absent: it stopped).</li>
 * </ul>
 * A claim is an INSERT of (session id, change key) under a unique key ({@link CoaClaims#claim}), so of any number of
 * nodes racing for one CoA exactly one sends it. Heartbeats carry each node's own clock: nodes need synchronised
 * clocks (NTP), to well within {@code nodeTimeout}.
 *
 * <p>Threads: {@link #offerAll} runs on the CoA trigger's thread (it claims a whole batch of the trigger's CoA in
 * one transaction, one round trip per 500);
 * heartbeats and deferred checks run on this class's own thread; neither touches an event loop.
 */
public final class CoaCoordinator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CoaCoordinator.class);
    /** Deferred CoA kept at most; beyond, the owner alone is relied on (counted). */
    static final int MAX_DEFERRED = 100_000;
    private static final long PRUNE_EVERY_MS = 60_000;
    private static final long CLAIM_WARNING_EVERY_MS = 10_000;

    /** A CoA another node owns, waiting to see whether the owner handles it. */
    private record Deferred(String sessionId, String owner, String changeKey, Instant receivedAt, Runnable send) {
    }

    private final CoaClaims claims;
    private final String node;
    private final SharedCoaSettings settings;
    private final Clock clock;
    private final Supplier<Instant> doneBefore;
    private final ConcurrentLinkedQueue<Deferred> deferred = new ConcurrentLinkedQueue<>();
    private final AtomicInteger deferredCount = new AtomicInteger();
    private final ScheduledExecutorService timer;
    private final LongAdder claimed = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final LongAdder deferredTotal = new LongAdder();
    private final LongAdder ownerHandled = new LongAdder();
    private final LongAdder takenOver = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder overflow = new LongAdder();
    private final LongAdder storeErrors = new LongAdder();
    private volatile boolean storeFailing;
    private long lastPrune;
    /** When a failed claim was last logged (epoch ms; trigger thread only). */
    private long lastClaimWarning = Long.MIN_VALUE / 2;

    /**
     * @param node       this node's name (the owner name its session store writes)
     * @param doneBefore the time before which this node has looked at every device change it received (the CoA
     *                   trigger's progress); sent with each heartbeat
     */
    CoaCoordinator(CoaClaims claims, String node, SharedCoaSettings settings, Clock clock, Supplier<Instant> doneBefore,
                   boolean schedule) {
        this.claims = claims;
        this.node = node;
        this.settings = settings;
        this.clock = clock;
        this.doneBefore = doneBefore;
        this.lastPrune = clock.millis();
        if (schedule) {
            this.timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("nacgw-coa-coordinator", true));
            long every = settings.heartbeatInterval().toMillis();
            timer.scheduleWithFixedDelay(this::tickQuietly, 0, every, TimeUnit.MILLISECONDS);
        } else {
            this.timer = null;
        }
    }

    /** Starts beating at once (so the other nodes see this node alive) and every {@code heartbeatInterval}. */
    public static CoaCoordinator start(CoaClaims claims, String node, SharedCoaSettings settings, Clock clock,
                                       Supplier<Instant> doneBefore) {
        return new CoaCoordinator(claims, node, settings, clock, doneBefore, true);
    }

    /**
     * A CoA for session {@code s} that the change {@code changeKey} calls for, received by this node at
     * {@code receivedAt}: true when this node owns the session and won the claim (the caller sends it now); else
     * false, and {@code later} runs on this class's thread if the owner turns out dead and this node wins the claim.
     * Blocks on one database round trip when this node owns the session.
     */
    boolean offer(Session s, String changeKey, Instant receivedAt, Runnable later) {
        return offerAll(List.of(new Offer(s, changeKey, receivedAt, later)))[0];
    }

    /**
     * {@link #offer} for many CoA at once (the trigger's batch): this node's own are claimed in one transaction;
     * element i of the answer is true when offer i is to be sent now. When that claim fails on the store nothing is
     * sent now: the failure is counted and this node's CoA wait for the next heartbeat to claim them again (a claim
     * the failed transaction did make is found taken then, so nothing goes out twice).
     */
    boolean[] offerAll(List<Offer> offers) {
        boolean[] now = new boolean[offers.size()];
        List<CoaClaims.Claim> own = new ArrayList<>();
        for (Offer o : offers) {
            if (owns(o.session())) {
                own.add(new CoaClaims.Claim(o.session().id(), o.changeKey()));
            }
        }
        Set<CoaClaims.Claim> won;
        try {
            won = own.isEmpty() ? Set.of() : new HashSet<>(claims.claimAll(own, node));
        } catch (RuntimeException e) { // store unreachable: without a claim nothing is sent (never twice)
            storeErrors.increment();
            long at = clock.millis();
            if (at - lastClaimWarning >= CLAIM_WARNING_EVERY_MS) {
                lastClaimWarning = at;
                log.warn("{} CoA not sent yet: cannot claim them ({}); retried at the next heartbeat; {} such failures "
                        + "so far", own.size(), e.getMessage(), storeErrors.sum());
            }
            won = null;
        }
        for (int i = 0; i < offers.size(); i++) {
            Offer o = offers.get(i);
            if (!owns(o.session())) {
                defer(new Deferred(o.session().id(), o.session().owner(), o.changeKey(), o.receivedAt(), o.later()));
            } else if (won == null) {
                defer(new Deferred(o.session().id(), node, o.changeKey(), o.receivedAt(), o.later()));
            } else if (won.remove(new CoaClaims.Claim(o.session().id(), o.changeKey()))) {
                claimed.increment();
                now[i] = true;
            } else {
                lost.increment();
            }
        }
        return now;
    }

    /** One CoA for {@link #offerAll}; {@code later} sends it (on this class's thread) if this node sends it later. */
    record Offer(Session session, String changeKey, Instant receivedAt, Runnable later) {
    }

    private boolean owns(Session s) {
        return s.owner() == null || s.owner().equals(node);
    }

    private void defer(Deferred d) {
        if (deferredCount.incrementAndGet() > MAX_DEFERRED) {
            deferredCount.decrementAndGet();
            overflow.increment();
            log.debug("CoA of session {} ({}) given up ({}): {} deferred already", d.sessionId(), d.changeKey(),
                    d.owner().equals(node) ? "its claim failed" : "left to its owner " + d.owner(), MAX_DEFERRED);
            return;
        }
        deferredTotal.increment();
        deferred.add(d);
    }

    private void tickQuietly() {
        try {
            tick();
            if (storeFailing) {
                storeFailing = false;
                log.info("CoA coordination: store reachable again");
            }
        } catch (RuntimeException e) {
            storeErrors.increment();
            if (!storeFailing) {
                storeFailing = true;
                log.warn("CoA coordination: {} (deferred CoA wait; retrying every {})", e.getMessage(),
                        settings.heartbeatInterval());
            }
        }
    }

    /** One heartbeat: records this node alive, settles what the owners handled or left behind; visible for tests. */
    void tick() {
        Instant now = clock.instant();
        claims.heartbeat(node, now, doneBefore.get());
        if (!deferred.isEmpty()) {
            settle(now, claims.nodes());
        }
        if (now.toEpochMilli() - lastPrune >= PRUNE_EVERY_MS) {
            lastPrune = now.toEpochMilli();
            claims.pruneBefore(now.minus(settings.claimRetention()));
        }
    }

    private void settle(Instant now, Map<String, CoaClaims.Beat> beats) {
        List<Deferred> keep = new ArrayList<>();
        try {
            for (Deferred d; (d = deferred.poll()) != null; ) {
                CoaClaims.Beat owner = beats.get(d.owner());
                if (d.owner().equals(node)) { // this node's own, whose claim failed: claim it again
                    deferredCount.decrementAndGet();
                    if (d.receivedAt().isBefore(now.minus(settings.claimRetention()))) {
                        expired.increment();
                        log.warn("CoA of session {} ({}) dropped: not claimed in {}", d.sessionId(), d.changeKey(),
                                settings.claimRetention());
                    } else {
                        claimAgain(d);
                    }
                } else if (owner == null || owner.heartbeatAt().isBefore(now.minus(settings.nodeTimeout()))) {
                    deferredCount.decrementAndGet();
                    takeOver(d, owner);
                } else if (!owner.doneAt().isBefore(d.receivedAt().plus(settings.ownerGrace()))) {
                    deferredCount.decrementAndGet();
                    ownerHandled.increment();
                } else if (d.receivedAt().isBefore(now.minus(settings.claimRetention()))) {
                    deferredCount.decrementAndGet();
                    expired.increment();
                    log.warn("CoA of session {} ({}) dropped: its owner {} is alive but has not caught up in {}",
                            d.sessionId(), d.changeKey(), d.owner(), settings.claimRetention());
                } else {
                    keep.add(d);
                }
            }
        } finally {
            deferred.addAll(keep); // also when a claim failed: the rest are looked at again next time
        }
    }

    private void claimAgain(Deferred d) {
        if (claimOrKeep(d)) {
            claimed.increment();
            d.send().run();
        } else {
            lost.increment();
        }
    }

    /** Claims a deferred CoA; when the store fails, puts it back and rethrows. */
    private boolean claimOrKeep(Deferred d) {
        try {
            return claims.claim(d.sessionId(), d.changeKey(), node);
        } catch (RuntimeException e) {
            deferredCount.incrementAndGet();
            deferred.add(d);
            throw e;
        }
    }

    private void takeOver(Deferred d, CoaClaims.Beat owner) {
        if (claimOrKeep(d)) {
            takenOver.increment();
            log.info("CoA of session {} ({}) sent by {}: its owner {} is {}", d.sessionId(), d.changeKey(), node,
                    d.owner(), owner == null ? "gone" : "silent since " + owner.heartbeatAt());
            d.send().run();
        } else {
            lost.increment();
        }
    }

    /** CoA waiting for their owner to act; for metrics. */
    public int deferred() {
        return deferredCount.get();
    }

    /** Counters for metrics. */
    public Stats stats() {
        return new Stats(claimed.sum(), lost.sum(), deferredTotal.sum(), deferredCount.get(), ownerHandled.sum(),
                takenOver.sum(), expired.sum() + overflow.sum(), storeErrors.sum());
    }

    /**
     * @param claimed      CoA this node claimed and sent as the owner
     * @param lost         claims another node had made first (nothing sent here)
     * @param deferred     CoA deferred to their owner, or to the next heartbeat when this node's claim failed
     * @param waiting      deferred CoA still waiting
     * @param ownerHandled deferred CoA the owner took care of
     * @param takenOver    deferred CoA this node sent because the owner was dead
     * @param abandoned    deferred CoA given up (owner alive but behind for claimRetention, or too many deferred)
     * @param storeErrors  heartbeats, checks or claims that failed on the store (a failed claim sends nothing)
     */
    public record Stats(long claimed, long lost, long deferred, long waiting, long ownerHandled, long takenOver,
                        long abandoned, long storeErrors) {
    }

    /** Stops beating and removes this node's heartbeat, so the other nodes take over its sessions' CoA at once. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            claims.leave(node);
        } catch (RuntimeException e) {
            log.warn("CoA coordination: cannot remove node {}'s heartbeat ({}); the others take over after {}", node,
                    e.getMessage(), settings.nodeTimeout());
        }
    }
}
