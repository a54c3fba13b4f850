package io.nacgw.radius.server;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.session.NasRef;
import io.nacgw.core.session.Session;
import io.nacgw.core.session.SessionEvent;
import io.nacgw.core.session.SessionStore;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.NoReply;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusRequest;
import io.nacgw.radius.codec.RadiusResponse;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Accounting (RFC 2866): Start/Interim/Stop update the session table, Accounting-On/Off close the sessions of that
 * NAS only: the NAS is identified by its NAS-IP-Address / NAS-IPv6-Address / NAS-Identifier (one configured client
 * may be a proxy or a network of NASes; see {@link RequestFacts#nas}).
 * The write runs on the bounded {@link SessionWriter}; the Accounting-Response is sent from the event loop only
 * after the write committed (RFC 2866 §2: never acknowledge what was not stored). Other status types (tunnel
 * accounting, failed) carry nothing nacgw keeps and are acknowledged at once. A request {@code nacgw debug} traces
 * is also looked up before and after its write (on the writer thread, only then) to show the session it found or
 * created and what was stored. A committed Stop or Accounting-On/Off also makes the {@link AcceptRecorder} forget
 * those endpoints, so their re-authentication's Accept is written even when it repeats the one before.
 */
@Sharable
final class AccountingRequestHandler extends SimpleChannelInboundHandler<RadiusRequest> {
    private static final Logger log = LoggerFactory.getLogger(AccountingRequestHandler.class);

    private final SessionStore sessions;
    private final Executor writer;
    private final ComplianceService compliance;
    private final Counters counters;
    private final Clock clock;
    private final java.util.function.Consumer<RadiusRequest> acknowledged;
    private final DebugTrace debug;
    private final AcceptRecorder accepts;

    /** {@code acknowledged} sees every request nacgw acknowledges (the upstream accounting copy); must not block. */
    AccountingRequestHandler(SessionStore sessions, Executor writer, ComplianceService compliance, Counters counters,
                             Clock clock, java.util.function.Consumer<RadiusRequest> acknowledged, DebugTrace debug,
                             AcceptRecorder accepts) {
        this.debug = debug;
        this.accepts = accepts;
        this.sessions = sessions;
        this.writer = writer;
        this.compliance = compliance;
        this.counters = counters;
        this.clock = clock;
        this.acknowledged = acknowledged;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RadiusRequest r) {
        if (r.code() != RadiusCode.ACCOUNTING_REQUEST) {
            ctx.fireChannelRead(r);
            return;
        }
        boolean traced = debug.wants(r);
        Integer status = r.integer(AttributeType.ACCT_STATUS_TYPE);
        if (status == null) {
            incomplete(ctx, r, "no Acct-Status-Type", traced);
            return;
        }
        Instant at = eventTime(r);
        NasRef nas = RequestFacts.nas(r);
        Supplier<Trace> write;
        switch (status) {
            case AttributeType.ACCT_ON:
            case AttributeType.ACCT_OFF:
                write = () -> {
                    int closed = sessions.closeAll(nas.id(), at);
                    accepts.nasSessionsEnded(nas.id(), at);
                    log.info("NAS {} (client {}, from {}) sent Accounting-{}: closed {} live session(s)", nas.id(),
                            nas.client(), nas.source(), status == AttributeType.ACCT_ON ? "On" : "Off", closed);
                    return new Trace("every live session of NAS " + nas.id() + " (it rebooted)",
                            "closed " + closed + " live session(s) at " + at);
                };
                break;
            case AttributeType.ACCT_START:
            case AttributeType.ACCT_INTERIM:
            case AttributeType.ACCT_STOP: {
                String sessionId = r.text(AttributeType.ACCT_SESSION_ID);
                if (sessionId == null || sessionId.isEmpty()) {
                    incomplete(ctx, r, "no Acct-Session-Id", traced);
                    return;
                }
                SessionEvent e = event(r, status, nas, sessionId, at);
                write = () -> {
                    Optional<Session> before = traced ? sessions.get(nas.id(), sessionId) : Optional.empty();
                    sessions.apply(e);
                    if (e.kind() == SessionEvent.Kind.STOP) {
                        accepts.sessionEnded(e.mac(), at);
                    }
                    return traced ? Trace.of(e, before, sessions.get(nas.id(), sessionId)) : null;
                };
                break;
            }
            default:
                if (traced) {
                    debug.recordAccounting(r, "not looked up", "nothing: Acct-Status-Type " + status
                            + " carries nothing nacgw keeps", "Accounting-Response (at once)");
                }
                respond(ctx, r);
                return;
        }
        try {
            writer.execute(() -> {
                boolean stored;
                try {
                    Trace t = write.get();
                    if (t != null) {
                        debug.recordAccounting(r, t.session(), t.stored(), "Accounting-Response (sent once stored)");
                    }
                    stored = true;
                } catch (RuntimeException ex) {
                    log.debug("accounting write for {} failed", r, ex);
                    counters.drop(DropReason.ACCOUNTING_STORE_FAILED, r.sender(), ex.getMessage());
                    if (traced) {
                        debug.recordAccounting(r, "unknown", "nothing: the store failed (" + ex.getMessage() + ")",
                                "none: not stored, so not acknowledged; the NAS retransmits");
                    }
                    stored = false;
                }
                boolean ok = stored;
                try {
                    ctx.channel().eventLoop().execute(() -> {
                        if (ok) {
                            respond(ctx, r);
                        } else {
                            ctx.write(NoReply.of(r), ctx.voidPromise());
                        }
                    });
                } catch (RejectedExecutionException closing) {
                    // the server is shutting down: the row is stored, the NAS will retransmit to the next instance
                    log.debug("no reply for {}: event loop closed", r);
                }
            });
        } catch (RejectedExecutionException ex) {
            counters.drop(DropReason.ACCOUNTING_OVERLOADED, r.sender(), "accounting write queue full");
            if (traced) {
                debug.recordAccounting(r, "not looked up", "nothing: the accounting write queue is full",
                        "none: dropped; the NAS retransmits");
            }
            ctx.write(NoReply.of(r), ctx.voidPromise());
        }
    }

    private void respond(ChannelHandlerContext ctx, RadiusRequest r) {
        counters.accountingStored.increment();
        if (log.isDebugEnabled()) {
            log.debug("{} (status {}, session {}) -> Accounting-Response", r, r.integer(AttributeType.ACCT_STATUS_TYPE),
                    r.text(AttributeType.ACCT_SESSION_ID));
        }
        ctx.writeAndFlush(new RadiusResponse(r, RadiusCode.ACCOUNTING_RESPONSE, List.of()), ctx.voidPromise());
        acknowledged.accept(r);
    }

    private void incomplete(ChannelHandlerContext ctx, RadiusRequest r, String why, boolean traced) {
        counters.drop(DropReason.ACCOUNTING_INCOMPLETE, r.sender(), why);
        if (traced) {
            debug.recordAccounting(r, "not looked up", "nothing: " + why, "none: dropped as incomplete");
        }
        ctx.write(NoReply.of(r), ctx.voidPromise());
    }

    /** When the event happened: now, less the NAS's Acct-Delay-Time. */
    private Instant eventTime(RadiusRequest r) {
        Integer delay = r.integer(AttributeType.ACCT_DELAY_TIME);
        Instant now = clock.instant();
        return delay == null || delay < 0 ? now : now.minusSeconds(delay);
    }

    private SessionEvent event(RadiusRequest r, int status, NasRef nas, String sessionId, Instant at) {
        SessionEvent.Kind kind = status == AttributeType.ACCT_START ? SessionEvent.Kind.START
                : status == AttributeType.ACCT_STOP ? SessionEvent.Kind.STOP : SessionEvent.Kind.INTERIM;
        MacAddress mac = RequestFacts.callingStationMac(r);
        DeviceRecord device = mac == null ? null : compliance.findResident(mac); // memory only: never blocks
        Attribute cls = r.first(AttributeType.CLASS);
        String classValue = cls == null ? null : cls.isPrintable() ? cls.asText() : "0x" + RequestFacts.hex(cls.value());
        return new SessionEvent(kind, nas, sessionId, RequestFacts.nasPort(r), RequestFacts.nasPortId(r), mac,
                device == null ? null : device.deviceId(), r.text(AttributeType.USER_NAME),
                framedIp(r.first(AttributeType.FRAMED_IP_ADDRESS)), classValue, r.ciscoAvPair("audit-session-id"),
                ReplyAttributes.decisionId(classValue), at,
                kind == SessionEvent.Kind.STOP ? r.integer(AttributeType.ACCT_TERMINATE_CAUSE) : null);
    }

    /** What a traced request's write found ({@code session}) and left in the table ({@code stored}). */
    private record Trace(String session, String stored) {
        static Trace of(SessionEvent e, Optional<Session> before, Optional<Session> after) {
            String found = before.map(s -> "found " + s.id() + " (live since " + s.startedAt() + ")")
                    .orElseGet(() -> after.map(s -> "none with Acct-Session-Id " + e.acctSessionId() + " on NAS "
                            + e.nas().id() + ": " + (s.authorizedAt() != null
                            ? "joined with the Access-Accept of " + s.id() + " (decision " + s.decisionId() + ")"
                            : "created " + s.id())).orElse("none"));
            String stored = after.map(s -> e.kind() + ": " + describe(s)).orElse(e.kind() + ": no row (unexpected)");
            return new Trace(found, stored);
        }

        private static String describe(Session s) {
            StringBuilder sb = new StringBuilder(s.id()).append(s.stoppedAt() == null ? " live" : " stopped at "
                    + s.stoppedAt() + (s.terminateCause() == null ? "" : " (cause " + s.terminateCause() + ")"));
            field(sb, "mac", s.mac());
            field(sb, "device", s.deviceId());
            field(sb, "user", s.userName());
            field(sb, "framed IP", s.framedIp());
            field(sb, "NAS port", s.nasPortId() != null ? s.nasPortId() : s.nasPort());
            field(sb, "profile", s.profile());
            field(sb, "verdict", s.verdict());
            field(sb, "decision", s.decisionId());
            return sb.append(", updated ").append(s.updatedAt()).toString();
        }

        private static void field(StringBuilder sb, String name, Object value) {
            if (value != null) {
                sb.append(", ").append(name).append(' ').append(value);
            }
        }
    }

    private static String framedIp(Attribute a) {
        if (a == null || a.length() != 4) {
            return null;
        }
        try {
            return InetAddress.getByAddress(a.value()).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
