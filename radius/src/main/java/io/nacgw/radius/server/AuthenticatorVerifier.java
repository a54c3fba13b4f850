package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.NasClient;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.DropSink;
import io.nacgw.radius.codec.InboundPacket;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCrypto;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * Proves the packet came from the client, on the raw bytes and in constant time, and picks which of the client's
 * secrets it used (two may be active while rotating):
 * <ul>
 *   <li>Access-Request: Message-Authenticator (HMAC-MD5) when present; when absent the request is dropped if the
 *       client requires it, if it carries EAP (RFC 3579), or if it carries Proxy-State and the client limits
 *       Proxy-State (BlastRADIUS, CVE-2024-3596).</li>
 *   <li>Status-Server: Message-Authenticator always required (RFC 5997).</li>
 *   <li>Accounting-Request: Request Authenticator (MD5 with a zero authenticator), and the
 *       Message-Authenticator over a zero authenticator when present.</li>
 * </ul>
 */
@Sharable
final class AuthenticatorVerifier extends SimpleChannelInboundHandler<InboundPacket> {
    private final DropSink drops;

    AuthenticatorVerifier(DropSink drops) {
        this.drops = drops;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, InboundPacket p) {
        byte[] d = p.data();
        NasClient client = p.client();
        int ma = RadiusCrypto.find(d, AttributeType.MESSAGE_AUTHENTICATOR);
        Secret secret;
        switch (p.code()) {
            case RadiusCode.ACCOUNTING_REQUEST:
                secret = accountingSecret(client, d, ma);
                if (secret == null) {
                    drops.drop(DropReason.BAD_REQUEST_AUTHENTICATOR, p.sender(), "Accounting-Request authenticator "
                            + "does not verify with the secret(s) of " + client.name());
                    return;
                }
                break;
            case RadiusCode.STATUS_SERVER:
            case RadiusCode.ACCESS_REQUEST:
                if (ma < 0) {
                    DropReason why = missingMaReason(p.code(), client, d);
                    if (why != null) {
                        drops.drop(why, p.sender(), RadiusCode.name(p.code()) + " without Message-Authenticator from "
                                + client.name());
                        return;
                    }
                    secret = client.secrets().get(0); // nothing to tell rotating secrets apart: the first one
                } else {
                    secret = maSecret(client, d, ma);
                    if (secret == null) {
                        drops.drop(DropReason.BAD_MESSAGE_AUTHENTICATOR, p.sender(), "Message-Authenticator does not "
                                + "verify with the secret(s) of " + client.name());
                        return;
                    }
                }
                break;
            default: // the structure check admits no other code
                drops.drop(DropReason.CODE_NOT_ALLOWED, p.sender(), RadiusCode.name(p.code()));
                return;
        }
        ctx.fireChannelRead(p.withSecret(secret));
    }

    private static DropReason missingMaReason(int code, NasClient client, byte[] d) {
        if (code == RadiusCode.STATUS_SERVER || client.requireMessageAuthenticator()
                || RadiusCrypto.find(d, AttributeType.EAP_MESSAGE) >= 0) {
            return DropReason.MISSING_MESSAGE_AUTHENTICATOR;
        }
        if (client.limitProxyState() && RadiusCrypto.find(d, AttributeType.PROXY_STATE) >= 0) {
            return DropReason.PROXY_STATE_WITHOUT_MESSAGE_AUTHENTICATOR;
        }
        return null;
    }

    private static Secret maSecret(NasClient client, byte[] d, int ma) {
        for (Secret s : client.secrets()) {
            if (RadiusCrypto.verifyMessageAuthenticator(s, d, ma, false)) {
                return s;
            }
        }
        return null;
    }

    private static Secret accountingSecret(NasClient client, byte[] d, int ma) {
        for (Secret s : client.secrets()) {
            if (RadiusCrypto.verifyAccountingRequest(s, d)
                    && (ma < 0 || RadiusCrypto.verifyMessageAuthenticator(s, d, ma, true))) {
                return s;
            }
        }
        return null;
    }
}
