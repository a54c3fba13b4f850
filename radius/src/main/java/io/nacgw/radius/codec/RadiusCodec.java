package io.nacgw.radius.codec;

import io.nacgw.radius.DropReason;
import io.nacgw.core.secret.Secret;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tinyradius.attribute.IntegerAttribute;
import org.tinyradius.attribute.IpAttribute;
import org.tinyradius.attribute.Ipv6Attribute;
import org.tinyradius.attribute.Ipv6PrefixAttribute;
import org.tinyradius.dictionary.DefaultDictionary;
import org.tinyradius.dictionary.Dictionary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Verified packet bytes ⇄ typed messages. The one class that uses tinyradius (1.1.3), and only in the ways that
 * are safe (see the research notes): its dictionary says which attributes have a fixed size. The wire form is ours
 * both ways. Encoding writes header, Message-Authenticator (first), attributes and authenticators straight into one
 * array of the packet's size (tinyradius's writer made an array per attribute and a growing buffer). Decoding reads
 * the bytes directly (they already passed our structural checks and authenticator verification): tinyradius built
 * a packet, an attribute object per attribute by reflection and a copy of every value, about a third of the bytes
 * a request allocated. It rejects what tinyradius's generic decode rejected: an attribute the dictionary types as
 * integer, ipaddr, ipv6addr or ipv6prefix with the wrong size, vendor sub-attributes included.
 */
@Sharable
public final class RadiusCodec extends MessageToMessageCodec<InboundPacket, RadiusResponse> {
    private static final Logger log = LoggerFactory.getLogger(RadiusCodec.class);
    private static final Dictionary DICTIONARY = DefaultDictionary.getDefaultDictionary();

    private final DropSink drops;

    public RadiusCodec(DropSink drops) {
        this.drops = drops;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, InboundPacket p, List<Object> out) {
        RadiusRequest request;
        try {
            request = decode(p);
        } catch (Throwable t) { // tinyradius throws unchecked exceptions on input it dislikes; none may escape
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
                throw (VirtualMachineError) t;
            }
            drops.drop(DropReason.DECODE_FAILED, p.sender(), t.toString());
            ctx.write(NoReply.of(p), ctx.voidPromise());
            return;
        }
        out.add(request);
    }

    /** Decodes verified packet bytes; throws {@link IllegalArgumentException} on a malformed attribute. */
    public static RadiusRequest decode(InboundPacket p) {
        byte[] d = p.data();
        checkHeader(d);
        return new RadiusRequest(d[0] & 0xFF, d[1] & 0xFF,
                Arrays.copyOfRange(d, RadiusCrypto.AUTH_OFFSET, RadiusCrypto.AUTH_OFFSET + RadiusCrypto.AUTH_LENGTH),
                attributes(d, RadiusCrypto.lengthField(d)), p.sender(), p.client(), p.secret(), p.receivedNanos());
    }

    /**
     * The attributes of a structurally valid, verified packet (a reply nacgw received as a client, e.g. a
     * CoA-NAK), vendor sub-attributes flattened in place; throws {@link IllegalArgumentException} on a malformed one.
     */
    public static List<Attribute> attributes(byte[] packet) {
        checkHeader(packet);
        return attributes(packet, RadiusCrypto.lengthField(packet));
    }

    private static void checkHeader(byte[] d) {
        if (d.length < RadiusCrypto.HEADER_LENGTH || RadiusCrypto.lengthField(d) < RadiusCrypto.HEADER_LENGTH
                || RadiusCrypto.lengthField(d) > d.length) {
            throw new IllegalArgumentException("packet header malformed");
        }
    }

    private static List<Attribute> attributes(byte[] d, int length) {
        List<Attribute> attributes = new ArrayList<>(12);
        for (int pos = RadiusCrypto.HEADER_LENGTH; pos < length; ) {
            int type = d[pos] & 0xFF;
            int len = pos + 2 <= length ? d[pos + 1] & 0xFF : 0;
            if (len < 2 || pos + len > length) {
                throw new IllegalArgumentException("attribute " + type + " at offset " + pos + " malformed");
            }
            if (type == AttributeType.VENDOR_SPECIFIC) {
                vendorSpecific(d, pos, len, attributes);
            } else {
                checkSize(STANDARD_SIZES[type], type, len - 2);
                attributes.add(Attribute.own(type, 0, Arrays.copyOfRange(d, pos + 2, pos + len)));
            }
            pos += len;
        }
        return attributes;
    }

    private static void vendorSpecific(byte[] d, int pos, int len, List<Attribute> out) {
        if (len < 6) {
            throw new IllegalArgumentException("Vendor-Specific attribute too short: " + len);
        }
        int vendorId = ((d[pos + 2] & 0xFF) << 24) | ((d[pos + 3] & 0xFF) << 16) | ((d[pos + 4] & 0xFF) << 8)
                | (d[pos + 5] & 0xFF);
        int end = pos + len;
        for (int s = pos + 6; s < end; ) {
            int subLen = s + 2 <= end ? d[s + 1] & 0xFF : 0;
            if (subLen < 2 || s + subLen > end) {
                throw new IllegalArgumentException("Vendor-Specific attribute malformed");
            }
            int subType = d[s] & 0xFF;
            checkSize(size(DICTIONARY.getAttributeTypeByCode(vendorId, subType)), subType, subLen - 2);
            out.add(Attribute.own(subType, vendorId, Arrays.copyOfRange(d, s + 2, s + subLen)));
            s += subLen;
        }
    }

    /** Value sizes: any, or a fixed one (4 integer/ipaddr, 16 ipv6addr), or {@link #PREFIX_SIZE} (2-18 bytes). */
    private static final int ANY_SIZE = -1;
    private static final int PREFIX_SIZE = -2;
    /** Per standard attribute type, the value size its dictionary type requires. */
    private static final int[] STANDARD_SIZES = new int[256];

    static {
        for (int t = 0; t < 256; t++) {
            STANDARD_SIZES[t] = size(DICTIONARY.getAttributeTypeByCode(t));
        }
    }

    private static int size(org.tinyradius.dictionary.AttributeType t) {
        Class<?> c = t == null ? null : t.getAttributeClass();
        if (c == IntegerAttribute.class || c == IpAttribute.class) {
            return 4;
        }
        if (c == Ipv6Attribute.class) {
            return 16;
        }
        return c == Ipv6PrefixAttribute.class ? PREFIX_SIZE : ANY_SIZE;
    }

    private static void checkSize(int size, int type, int actual) {
        if (size == ANY_SIZE || size == actual || (size == PREFIX_SIZE && actual >= 2 && actual <= 18)) {
            return;
        }
        throw new IllegalArgumentException("attribute " + type + " of " + actual + " bytes where its type needs "
                + (size == PREFIX_SIZE ? "2-18" : String.valueOf(size)));
    }

    /**
     * The signed wire form of a request nacgw sends as a client: header, Message-Authenticator first, the
     * attributes. CoA-, Disconnect- and Accounting-Request get the MA over a zero authenticator and then their
     * Request Authenticator (RFC 5176 §2.3); Access-Request and Status-Server get a random authenticator (from
     * {@code random}) and the MA over it, and a User-Password given in clear text is hidden (RFC 2865 §5.2).
     */
    public static byte[] encodeRequest(int code, int identifier, List<Attribute> attributes, Secret secret) {
        return encodeRequest(code, identifier, attributes, secret, null);
    }

    /** As {@link #encodeRequest(int, int, List, Secret)}; {@code random} is needed for a random authenticator. */
    public static byte[] encodeRequest(int code, int identifier, List<Attribute> attributes, Secret secret,
                                       java.util.Random random) {
        boolean computed = RadiusCrypto.hasComputedRequestAuthenticator(code);
        if (!computed && code != RadiusCode.ACCESS_REQUEST && code != RadiusCode.STATUS_SERVER) {
            throw new IllegalArgumentException(RadiusCode.name(code) + " is not a request nacgw sends");
        }
        if (!computed && random == null) {
            throw new IllegalArgumentException(RadiusCode.name(code) + " needs a random authenticator");
        }
        if (identifier < 0 || identifier > 255) {
            throw new IllegalArgumentException("identifier must be 0-255, got " + identifier);
        }
        byte[] authenticator = new byte[RadiusCrypto.AUTH_LENGTH];
        if (!computed) {
            random.nextBytes(authenticator);
        }
        return signedRequest(code, identifier, authenticator, computed, attributes, secret);
    }

    /**
     * The signed wire form of an Access-Request or Status-Server nacgw sends with the random {@code authenticator}
     * it chose (the proxy keeps it to check the reply): as {@link #encodeRequest(int, int, List, Secret, java.util.Random)},
     * a User-Password given in clear text hidden with this authenticator. Throws {@link IllegalStateException}
     * beyond 4096 bytes.
     */
    public static byte[] encodeRequest(int code, int identifier, byte[] authenticator, List<Attribute> attributes,
                                       Secret secret) {
        if (code != RadiusCode.ACCESS_REQUEST && code != RadiusCode.STATUS_SERVER) {
            throw new IllegalArgumentException(RadiusCode.name(code) + " does not take a random authenticator");
        }
        if (identifier < 0 || identifier > 255 || authenticator.length != RadiusCrypto.AUTH_LENGTH) {
            throw new IllegalArgumentException("identifier must be 0-255 and the authenticator 16 bytes");
        }
        return signedRequest(code, identifier, authenticator.clone(), false, attributes, secret);
    }

    private static byte[] signedRequest(int code, int identifier, byte[] authenticator, boolean computed,
                                        List<Attribute> attributes, Secret secret) {
        List<Attribute> sent = new ArrayList<>(attributes.size());
        for (Attribute a : attributes) {
            if (!computed && !a.isVendor() && a.type() == AttributeType.USER_PASSWORD) {
                a = Attribute.of(AttributeType.USER_PASSWORD, RadiusCrypto.encryptPap(secret, authenticator, a.value()));
            }
            sent.add(a);
        }
        int length = RadiusCrypto.HEADER_LENGTH + 18 + wireLength(sent);
        if (length > RadiusCrypto.MAX_PACKET) {
            throw new IllegalStateException("request of " + length + " bytes exceeds 4096");
        }
        byte[] packet = new byte[length];
        packet[RadiusCrypto.HEADER_LENGTH] = (byte) AttributeType.MESSAGE_AUTHENTICATOR;
        packet[RadiusCrypto.HEADER_LENGTH + 1] = 18;
        writeAll(sent, packet, RadiusCrypto.HEADER_LENGTH + 18);
        packet[0] = (byte) code;
        packet[1] = (byte) identifier;
        packet[2] = (byte) (length >>> 8);
        packet[3] = (byte) length;
        System.arraycopy(authenticator, 0, packet, RadiusCrypto.AUTH_OFFSET, RadiusCrypto.AUTH_LENGTH);
        RadiusCrypto.signRequest(secret, packet, RadiusCrypto.HEADER_LENGTH);
        return packet;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RadiusResponse r, List<Object> out) {
        byte[] wire;
        try {
            wire = encode(r);
        } catch (ReplyTooLargeException e) { // the NAS's Proxy-State made it so: a counted drop, not a bug
            drops.drop(DropReason.REPLY_TOO_LARGE, r.request().sender(), e.getMessage());
            out.add(NoReply.of(r.request()));
            return;
        } catch (RuntimeException e) {
            log.error("cannot encode {} for {}", RadiusCode.name(r.code()), r.request(), e);
            drops.drop(DropReason.INTERNAL_ERROR, r.request().sender(), "encode failed: " + e);
            out.add(NoReply.of(r.request()));
            return;
        }
        out.add(new OutboundPacket(r.request().sender(), wire, r.request()));
    }

    /**
     * The signed wire form of a reply: header, Message-Authenticator first (replies to Access-Request and
     * Status-Server), the reply's attributes, the request's Proxy-State attributes in order; then the
     * Message-Authenticator value and, over the final bytes, the Response Authenticator.
     */
    public static byte[] encode(RadiusResponse r) {
        List<Attribute> proxyStates = r.request().all(AttributeType.PROXY_STATE);
        boolean ma = r.signedWithMessageAuthenticator();
        int length = RadiusCrypto.HEADER_LENGTH + (ma ? 18 : 0) + wireLength(r.attributes()) + wireLength(proxyStates);
        if (length > RadiusCrypto.MAX_PACKET) {
            throw new ReplyTooLargeException("reply of " + length + " bytes exceeds 4096 with the request's "
                    + proxyStates.size() + " Proxy-State attribute(s) copied");
        }
        byte[] packet = new byte[length];
        int pos = RadiusCrypto.HEADER_LENGTH;
        int maOffset = -1;
        if (ma) {
            maOffset = pos;
            packet[pos] = (byte) AttributeType.MESSAGE_AUTHENTICATOR;
            packet[pos + 1] = 18;
            pos += 18;
        }
        pos = writeAll(r.attributes(), packet, pos);
        writeAll(proxyStates, packet, pos);
        packet[0] = (byte) r.code();
        packet[1] = (byte) r.request().identifier();
        packet[2] = (byte) (length >>> 8);
        packet[3] = (byte) length;
        RadiusCrypto.signResponse(r.request().secret(), packet, r.request().authenticator(), maOffset);
        return packet;
    }

    private static int wireLength(List<Attribute> attributes) {
        int n = 0;
        for (Attribute a : attributes) {
            n += a.wireLength();
        }
        return n;
    }

    private static int writeAll(List<Attribute> attributes, byte[] packet, int pos) {
        for (Attribute a : attributes) {
            pos = a.writeTo(packet, pos);
        }
        return pos;
    }

    /** A reply that cannot be sent because, with the request's Proxy-State copied, it exceeds 4096 bytes. */
    static final class ReplyTooLargeException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ReplyTooLargeException(String message) {
            super(message);
        }
    }
}
