package io.nacgw.radius.codec;

import io.nacgw.radius.DropReason;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Structural validation of the raw datagram before any parser sees it (tinyradius 1.1.3 loops forever on a
 * zero-length vendor sub-attribute, zero-pads truncated packets and throws on several malformations): size,
 * code allowed on this port, Length field against the datagram, every attribute and vendor sub-attribute length,
 * at most one User-Password / CHAP-Password / Message-Authenticator with their fixed sizes. Octets beyond the
 * Length field are padding (RFC 2865 §3) and are cut off here.
 */
@Sharable
public final class StructureValidator extends SimpleChannelInboundHandler<InboundPacket> {
    private final ServicePort port;
    private final DropSink drops;

    public StructureValidator(ServicePort port, DropSink drops) {
        this.port = port;
        this.drops = drops;
    }

    /** A reason to drop and a description for the log. */
    record Problem(DropReason reason, String detail) {
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, InboundPacket p) {
        byte[] d = p.data();
        Problem problem = check(d, port);
        if (problem != null) {
            drops.drop(problem.reason(), p.sender(), problem.detail());
            return;
        }
        int length = RadiusCrypto.lengthField(d);
        ctx.fireChannelRead(length == d.length ? p : p.withData(Arrays.copyOf(d, length)));
    }

    /** The first problem with {@code d} as a request on {@code port}, or null when it is well-formed. */
    static Problem check(byte[] d, ServicePort port) {
        return check(d, port, null);
    }

    /**
     * What is wrong with {@code d} as a reply nacgw receives as a client (codes {@code allowed}), or null when it is
     * well-formed: the same checks as for requests, so tinyradius only ever sees well-formed bytes.
     */
    public static String checkReply(byte[] d, IntPredicate allowed) {
        Problem p = check(d, null, allowed);
        return p == null ? null : p.detail();
    }

    /** {@code port}'s codes, or (port null) the codes {@code allowed}; messages are built only for a problem. */
    private static Problem check(byte[] d, ServicePort port, IntPredicate allowed) {
        if (d.length > RadiusCrypto.MAX_PACKET) {
            return new Problem(DropReason.OVERSIZE, "datagram larger than 4096 bytes");
        }
        if (d.length < RadiusCrypto.HEADER_LENGTH) {
            return new Problem(DropReason.MALFORMED, "datagram of " + d.length + " bytes is shorter than a header");
        }
        int code = d[0] & 0xFF;
        if (port != null ? !port.allows(code) : !allowed.test(code)) {
            return new Problem(DropReason.CODE_NOT_ALLOWED, RadiusCode.name(code) + " is not served on " + (port != null
                    ? "the " + port.name().toLowerCase(java.util.Locale.ROOT) + " port" : "this socket"));
        }
        int length = RadiusCrypto.lengthField(d);
        if (length < RadiusCrypto.HEADER_LENGTH || length > d.length) {
            return new Problem(DropReason.MALFORMED, "Length field " + length + " but datagram of " + d.length + " bytes");
        }
        int passwords = 0;
        int chap = 0;
        int ma = 0;
        for (int pos = RadiusCrypto.HEADER_LENGTH; pos < length; ) {
            if (pos + 2 > length) {
                return new Problem(DropReason.MALFORMED, "attribute header truncated at offset " + pos);
            }
            int type = d[pos] & 0xFF;
            int len = d[pos + 1] & 0xFF;
            if (len < 2 || pos + len > length) {
                return new Problem(DropReason.MALFORMED, "attribute " + type + " at offset " + pos + " has length " + len);
            }
            switch (type) {
                case 0:
                    return new Problem(DropReason.MALFORMED, "attribute type 0 at offset " + pos);
                case AttributeType.USER_PASSWORD:
                    if (++passwords > 1) {
                        return new Problem(DropReason.MALFORMED, "more than one User-Password");
                    }
                    if (len - 2 < 16 || len - 2 > 128 || (len - 2) % 16 != 0) {
                        return new Problem(DropReason.MALFORMED, "User-Password of " + (len - 2) + " bytes");
                    }
                    break;
                case AttributeType.CHAP_PASSWORD:
                    if (++chap > 1 || len != 19) {
                        return new Problem(DropReason.MALFORMED, "CHAP-Password repeated or not 17 bytes");
                    }
                    break;
                case AttributeType.MESSAGE_AUTHENTICATOR:
                    if (++ma > 1 || len != 18) {
                        return new Problem(DropReason.MALFORMED, "Message-Authenticator repeated or not 16 bytes");
                    }
                    break;
                case AttributeType.VENDOR_SPECIFIC: {
                    String vsa = checkVendorSpecific(d, pos, len);
                    if (vsa != null) {
                        return new Problem(DropReason.MALFORMED, vsa);
                    }
                    break;
                }
                default:
                    break;
            }
            pos += len;
        }
        return null;
    }

    /** Checks the vendor id and RFC 2865 sub-attributes (1-byte type, 1-byte length >= 2) fill the VSA exactly. */
    private static String checkVendorSpecific(byte[] d, int pos, int len) {
        if (len < 6) {
            return "Vendor-Specific at offset " + pos + " shorter than its vendor id";
        }
        int end = pos + len;
        for (int s = pos + 6; s < end; ) {
            if (s + 2 > end) {
                return "vendor sub-attribute header truncated at offset " + s;
            }
            int subLen = d[s + 1] & 0xFF;
            if (subLen < 2 || s + subLen > end) {
                return "vendor sub-attribute at offset " + s + " has length " + subLen;
            }
            s += subLen;
        }
        return null;
    }
}
