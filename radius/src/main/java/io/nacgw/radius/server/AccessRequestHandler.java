package io.nacgw.radius.server;

import io.nacgw.core.policy.Verdict;
import io.nacgw.core.service.OverloadedException;
import io.nacgw.radius.DecisionStats;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.audit.AuditLog;
import io.nacgw.radius.codec.NoReply;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusRequest;
import io.nacgw.radius.eap.EapDropException;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Answers Access-Requests. A decision the compliance index can make from memory is answered inline; otherwise the
 * answer is sent from the channel's event loop when the asynchronous lookup completes, so the event loop never
 * waits. A failed lookup (index overloaded) gets no answer: the NAS retransmits. Every Access-Accept is queued for
 * the session table ({@link AcceptRecorder}), so a NAS without accounting still has a session for CoA.
 */
@Sharable
final class AccessRequestHandler extends SimpleChannelInboundHandler<RadiusRequest> {
    private static final Logger log = LoggerFactory.getLogger(AccessRequestHandler.class);

    private final AccessAuthorizer authorizer;
    private final AuditLog audit;
    private final AcceptRecorder sessions;
    private final Counters counters;
    private final Clock clock;
    private final DecisionStats decisions;
    private final DebugTrace debug;

    AccessRequestHandler(AccessAuthorizer authorizer, AuditLog audit, AcceptRecorder sessions, Counters counters,
                         Clock clock, DecisionStats decisions, DebugTrace debug) {
        this.debug = debug;
        this.decisions = decisions;
        this.authorizer = authorizer;
        this.audit = audit;
        this.sessions = sessions;
        this.counters = counters;
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RadiusRequest r) {
        if (r.code() != RadiusCode.ACCESS_REQUEST) {
            ctx.fireChannelRead(r);
            return;
        }
        CompletableFuture<Outcome> f;
        try {
            f = authorizer.authorize(r);
        } catch (RuntimeException e) {
            fail(ctx, r, e);
            return;
        }
        if (f.isDone()) {
            finish(ctx, r, f);
        } else {
            f.whenCompleteAsync((o, t) -> finish(ctx, r, f), ctx.channel().eventLoop());
        }
    }

    private void finish(ChannelHandlerContext ctx, RadiusRequest r, CompletableFuture<Outcome> f) {
        Outcome o;
        try {
            o = f.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            fail(ctx, r, e.getCause() != null ? e.getCause() : e);
            return;
        }
        if (debug.wants(r)) {
            debug.record(r, o.response().code(), o.response().attributes(), o.method(), o.identifierUsed(),
                    o.deviceId(), o.profile(), o.verdictName(), o.reasons(), o.rules());
        }
        if (o.response().code() == RadiusCode.ACCESS_CHALLENGE) {
            // one EAP round (counted by the EAP server); the conversation's outcome is audited at its end
            ctx.writeAndFlush(o.response(), ctx.voidPromise());
            return;
        }
        if (o.verdict() == Verdict.DENY) {
            counters.rejects.increment();
        } else {
            counters.accepts.increment();
            if (o.verdict() == Verdict.QUARANTINE) {
                counters.quarantines.increment();
            } else {
                counters.allowed.increment();
            }
        }
        long nanos = System.nanoTime() - r.receivedNanos();
        decisions.decided(r.client().name(), o.profile(), o.verdict(), o.reasons(), nanos);
        if (o.profile() == null && o.verdict() == Verdict.DENY && "eap-tls".equals(o.method())
                && !o.reasons().isEmpty()) {
            eapTlsFailed(r, o);
        }
        long micros = nanos / 1_000;
        audit.record(o.audit(clock.instant(), micros));
        if (o.authorization() != null) {
            sessions.record(o.authorization()); // queued: the write happens off the event loop
        }
        if (log.isDebugEnabled()) {
            log.debug("{} -> {} {} for {} (profile {}, {} us)", r, RadiusCode.name(o.response().code()),
                    o.verdictName(), o.identifierUsed(), o.profile(), micros);
        }
        ctx.writeAndFlush(o.response(), ctx.voidPromise());
    }

    private void eapTlsFailed(RadiusRequest r, Outcome o) {
        String station = r.text(AttributeType.CALLING_STATION_ID);
        String peer = station != null ? station : r.sender().getAddress().getHostAddress();
        decisions.eapTlsFailed(o.reasons().get(0), peer, r.client().name(), o.identifiers().get("tls-failure"));
    }

    private void fail(ChannelHandlerContext ctx, RadiusRequest r, Throwable t) {
        if (t instanceof EapDropException) {
            counters.drop(((EapDropException) t).reason(), r.sender(), t.getMessage());
        } else if (t instanceof OverloadedException) {
            counters.drop(DropReason.LOOKUP_FAILED, r.sender(), "compliance index overloaded");
        } else {
            log.error("deciding {} failed", r, t);
            counters.drop(DropReason.INTERNAL_ERROR, r.sender(), "deciding failed: " + t);
        }
        ctx.write(NoReply.of(r), ctx.voidPromise());
    }
}
