package io.nacgw.radius.radsec;

import io.nacgw.certs.PeerCertificateRejectedException;
import io.nacgw.certs.Role;
import io.nacgw.certs.Roles;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.NasRegistry;
import io.nacgw.radius.codec.DropSink;
import io.nacgw.radius.codec.InboundPacket;
import io.nacgw.radius.codec.OutboundPacket;
import io.nacgw.radius.codec.RadSec;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.server.Counters;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleStateEvent;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One RadSec connection's NAS: after the TLS handshake it finds the {@code radius.clients} entry named by the
 * certificate (subject CN or a DNS SAN equal to the entry's {@code certificateName}, default its name) or closes the
 * connection; then it turns each frame into an {@link InboundPacket} carrying that client (with the RadSec secret)
 * and each reply into bytes. A reload that removes the client closes the connection at its next packet. Reading is
 * paused and resumed by {@link RequestAdmission}, the next handler. Not sharable: one per connection.
 */
final class NasSession extends ChannelDuplexHandler implements DropSink {
    /** Drops that RFC 6613 §2.6.4 turns from "silently discard" into "discard and close the connection". */
    private static final Set<DropReason> CLOSING = EnumSet.of(DropReason.OVERSIZE, DropReason.MALFORMED,
            DropReason.CODE_NOT_ALLOWED, DropReason.MISSING_MESSAGE_AUTHENTICATOR, DropReason.BAD_MESSAGE_AUTHENTICATOR,
            DropReason.PROXY_STATE_WITHOUT_MESSAGE_AUTHENTICATOR, DropReason.BAD_REQUEST_AUTHENTICATOR,
            DropReason.DECODE_FAILED);

    /** How the JDK's TLS server says the client sent no certificate (it has no exception type of its own). */
    private static final String NO_CLIENT_CERTIFICATE = "Empty client certificate chain";

    private final Supplier<NasRegistry> registry;
    private final Counters packetCounters;
    private final RadSecCounters counters;
    private final RadSecLinks links;
    private ChannelHandlerContext ctx;
    private InetSocketAddress peer;
    private List<String> names = List.of();
    private NasRegistry seen;
    private NasClient client;
    /** Written on the event loop, read by a CRL reload's thread ({@link RadSecServer#closeUntrusted}). */
    private volatile X509Certificate[] chain;

    NasSession(Supplier<NasRegistry> registry, Counters packetCounters, RadSecCounters counters, RadSecLinks links) {
        this.links = links;
        this.registry = registry;
        this.packetCounters = packetCounters;
        this.counters = counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // a TCP channel's peer; anything else (an embedded test channel) gets a placeholder
        this.peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a
                : InetSocketAddress.createUnresolved("unknown", 0);
    }

    /** The peer's certificate chain once established, else null (for re-checking after a CRL reload). */
    X509Certificate[] chain() {
        return chain;
    }

    /** The client this connection speaks for, or null before the handshake. */
    NasClient client() {
        return client;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent) {
            handshakeDone(ctx, (SslHandshakeCompletionEvent) evt);
            return;
        }
        if (evt instanceof IdleStateEvent) {
            if (client == null) {
                ctx.close(); // the handshake timeout counts it
            } else {
                counters.closed(CloseReason.IDLE, peer, "no packet for radius.radsec.idleTimeout");
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void handshakeDone(ChannelHandlerContext ctx, SslHandshakeCompletionEvent e) {
        if (!e.isSuccess()) {
            Throwable cause = e.cause();
            counters.tlsFailure(cause);
            PeerCertificateRejectedException rejected = rejection(cause);
            if (rejected != null) {
                counters.refused(Refusal.of(rejected.reason()), peer, rejected.getMessage());
            } else if (cause != null && String.valueOf(cause.getMessage()).contains(NO_CLIENT_CERTIFICATE)) {
                counters.refused(Refusal.NO_CERTIFICATE, peer, "no client certificate");
            } else if (cause instanceof SslHandshakeTimeoutException) {
                counters.refused(Refusal.HANDSHAKE_TIMEOUT, peer, "no TLS handshake within radius.radsec.handshakeTimeout");
            } else {
                counters.refused(Refusal.TLS_FAILED, peer, String.valueOf(cause));
            }
            ctx.close();
            return;
        }
        X509Certificate leaf;
        try {
            Certificate[] certs = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
            X509Certificate[] c = new X509Certificate[certs.length];
            for (int i = 0; i < certs.length; i++) {
                c[i] = (X509Certificate) certs[i];
            }
            chain = c;
            leaf = c[0];
        } catch (SSLPeerUnverifiedException | ClassCastException | ArrayIndexOutOfBoundsException ex) {
            counters.refused(Refusal.NO_CERTIFICATE, peer, "no client certificate");
            ctx.close();
            return;
        }
        java.util.Optional<Role> role = Roles.of(leaf);
        if (role.isPresent() && role.get() != Role.NAS) {
            counters.refused(Refusal.WRONG_ROLE, peer, "a nacgw " + role.get().name().toLowerCase(java.util.Locale.ROOT)
                    + " certificate ('" + leaf.getSubjectX500Principal().getName() + "'); RadSec needs role nas");
            ctx.close();
            return;
        }
        names = names(leaf);
        seen = registry.get();
        NasClient c = find(seen);
        if (c == null) {
            counters.refused(Refusal.UNKNOWN_NAS, peer, "certificate names " + names + " match no radius.clients entry "
                    + "(its name or certificateName)");
            ctx.close();
            return;
        }
        client = c;
        links.opened(c.name(), peer, ctx.channel());
        counters.established.increment();
        ctx.fireUserEventTriggered(e);
    }

    private static PeerCertificateRejectedException rejection(Throwable t) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof PeerCertificateRejectedException) {
                return (PeerCertificateRejectedException) t;
            }
        }
        return null;
    }

    /** The subject CN(s) and DNS SANs of {@code leaf}, CN first. */
    static List<String> names(X509Certificate leaf) {
        List<String> out = new ArrayList<>();
        try {
            LdapName dn = new LdapName(leaf.getSubjectX500Principal().getName());
            for (Rdn rdn : dn.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    out.add(0, String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            // no CN then; SANs may still name it
        }
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String) {
                        out.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // CN only
        }
        return List.copyOf(out);
    }

    private NasClient find(NasRegistry r) {
        for (String n : names) {
            NasClient c = r.byCertificateName(n);
            if (c != null) {
                return c.overTls(RadSec.SECRET);
            }
        }
        return null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof byte[])) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (client == null) {
            return; // closing
        }
        NasRegistry now = registry.get();
        if (now != seen) { // a reload: the NAS may have changed or gone
            seen = now;
            NasClient c = find(now);
            if (c == null) {
                counters.closed(CloseReason.CLIENT_REMOVED, peer, "radius.clients no longer has an entry for "
                        + names);
                client = null;
                ctx.close();
                return;
            }
            client = c;
        }
        counters.packets.increment();
        packetCounters.countReceived();
        byte[] packet = (byte[]) msg;
        if (isCoaAnswer(packet[0] & 0xFF)) { // RFC 6614 §2.5: the NAS answers our CoA on its own connection
            if (!links.answer(peer, packet)) {
                packetCounters.drop(DropReason.UNSOLICITED_COA_ANSWER, peer, RadiusCode.name(packet[0] & 0xFF)
                        + " on a RadSec connection, but CoA is off");
            }
            return;
        }
        ctx.fireChannelRead(new InboundPacket(peer, (byte[]) msg, client, RadSec.SECRET, System.nanoTime()));
    }

    private static boolean isCoaAnswer(int code) {
        return code == RadiusCode.COA_ACK || code == RadiusCode.COA_NAK || code == RadiusCode.DISCONNECT_ACK
                || code == RadiusCode.DISCONNECT_NAK;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof OutboundPacket) {
            ctx.write(Unpooled.wrappedBuffer(((OutboundPacket) msg).data()), promise);
            return;
        }
        ctx.write(msg, promise);
    }

    /**
     * The drop policy on this connection: counted like a UDP drop, and for the drops RFC 6613 §2.6.4 names the
     * connection is closed (the stream cannot be trusted after a packet that failed its checks).
     */
    @Override
    public void drop(DropReason reason, InetSocketAddress source, String detail) {
        packetCounters.drop(reason, source, detail);
        if (CLOSING.contains(reason) && ctx != null && client != null) {
            client = null; // packets already read behind this one are not processed
            counters.closed(CloseReason.PROTOCOL_VIOLATION, peer, reason.wireName() + ": " + detail);
            ctx.close();
        }
    }
}
