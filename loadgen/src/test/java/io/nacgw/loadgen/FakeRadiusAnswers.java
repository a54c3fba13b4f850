package io.nacgw.loadgen;

import io.nacgw.loadgen.radius.RadiusAttribute;
import io.nacgw.loadgen.radius.RadiusCodec;
import io.nacgw.loadgen.radius.RadiusPacket;
import io.nacgw.loadgen.radius.ReplyException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@link FakeRadiusServer} answers, without its socket: checks a request the way a strict server would and
 * answers from the synthetic truth (or misbehaves per its {@link FakeRadiusServer.Fault}). Tests that step the load
 * generator's clock by hand hand its requests here directly.
 */
final class FakeRadiusAnswers {
    private final RadiusCodec codec;
    private final Map<Long, TargetClass> truth = new HashMap<>();
    private final Expectations answers;
    private final FakeRadiusServer.Fault fault;
    final AtomicInteger badRequests = new AtomicInteger();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile boolean stalled;

    FakeRadiusAnswers(byte[] secret, SyntheticDevices devices, Expectations answers, FakeRadiusServer.Fault fault) {
        this.codec = new RadiusCodec(secret);
        for (int i = 0; i < devices.count(); i++) {
            truth.put(Targets.toLong(devices.primaryMac(i)), TargetClass.of(devices.classOf(i)));
        }
        this.answers = answers;
        this.fault = fault;
    }

    /** The answer to {@code req} as this server's fault shapes it, or null for none (a bad request is counted). */
    byte[] answer(byte[] req) throws InterruptedException {
        RadiusPacket p;
        try {
            p = RadiusCodec.decode(req, req.length);
        } catch (ReplyException e) {
            badRequests.incrementAndGet();
            return null;
        }
        if (p.first(RadiusCodec.MESSAGE_AUTHENTICATOR) != null) {
            if (!codec.requestMessageAuthenticatorValid(req, req.length)
                    || p.attributes().get(0).type() != RadiusCodec.MESSAGE_AUTHENTICATOR) {
                badRequests.incrementAndGet();
                return null;
            }
        }
        Long mac = mac(p);
        if (mac == null) {
            badRequests.incrementAndGet();
            return null;
        }
        switch (fault) {
            case DROP_ALL:
                return null;
            case DROP_FIRST_TRANSMISSION:
                if (seen.add(p.id() + HexKey.of(p.authenticator()))) {
                    return null;
                }
                break;
            case STALL_ONCE:
                if (!stalled) {
                    stalled = true;
                    Thread.sleep(300);
                }
                break;
            default:
        }
        TargetClass cls = truth.getOrDefault(mac, TargetClass.UNKNOWN);
        Expected e = answers.of(cls);
        if (fault == FakeRadiusServer.Fault.FLIP_VERDICT) {
            e = e.accept() ? Expected.REJECT : Expected.acceptVlan("100");
        }
        List<RadiusAttribute> attrs = new ArrayList<>();
        int code;
        if (e.accept()) {
            code = RadiusCodec.ACCESS_ACCEPT;
            attrs.add(RadiusAttribute.taggedInteger(RadiusCodec.TUNNEL_TYPE, 0, 13));
            attrs.add(RadiusAttribute.taggedInteger(RadiusCodec.TUNNEL_MEDIUM_TYPE, 0, 6));
            if (e.vlan() != null) {
                attrs.add(RadiusAttribute.taggedText(RadiusCodec.TUNNEL_PRIVATE_GROUP_ID, 0, e.vlan()));
            }
            attrs.add(RadiusAttribute.text(RadiusCodec.CLASS, "nacgw:test"));
        } else {
            code = RadiusCodec.ACCESS_REJECT;
            attrs.add(RadiusAttribute.text(RadiusCodec.REPLY_MESSAGE, "Device not allowed"));
        }
        if (fault == FakeRadiusServer.Fault.CHALLENGE) {
            code = RadiusCodec.ACCESS_CHALLENGE;
        }
        boolean ma = fault != FakeRadiusServer.Fault.NO_MESSAGE_AUTHENTICATOR && fault != FakeRadiusServer.Fault.MESSAGE_AUTHENTICATOR_LAST;
        if (fault == FakeRadiusServer.Fault.MESSAGE_AUTHENTICATOR_LAST) {
            attrs.add(new RadiusAttribute(RadiusCodec.MESSAGE_AUTHENTICATOR, new byte[16]));
        }
        byte[] out = codec.response(code, p.id(), p.authenticator(), attrs, ma);
        if (fault == FakeRadiusServer.Fault.BAD_RESPONSE_AUTHENTICATOR) {
            out[4] ^= 0x55;
        } else if (fault == FakeRadiusServer.Fault.MALFORMED) {
            out[3] = (byte) (out[3] + 7); // length field beyond the datagram
        }
        return out;
    }

    /**
     * The MAC a request is about: MAB User-Name (whose PAP password must equal it), a user login's Calling-Station-Id
     * (password {@link RequestShape#LOGIN_PASSWORD}), or Cisco mdm-tlv=device-mac.
     */
    private Long mac(RadiusPacket p) {
        RadiusAttribute pw = p.first(RadiusCodec.USER_PASSWORD);
        if (pw != null) {
            String user = p.first(RadiusCodec.USER_NAME).asText();
            String plain = new String(codec.unhidePassword(pw.value(), p.authenticator()), StandardCharsets.US_ASCII);
            if (plain.equals(RequestShape.LOGIN_PASSWORD) && p.first(RadiusCodec.CALLING_STATION_ID) != null) {
                return Long.parseLong(p.first(RadiusCodec.CALLING_STATION_ID).asText().replace("-", ""), 16);
            }
            if (!plain.equals(user)) {
                return null;
            }
            return Long.parseLong(user, 16);
        }
        for (String av : p.vendorText(RadiusCodec.VENDOR_CISCO, RadiusCodec.CISCO_AVPAIR)) {
            if (av.startsWith("mdm-tlv=device-mac=")) {
                return Long.parseLong(av.substring(19).replace("-", ""), 16);
            }
        }
        return null;
    }

    /** Hex of a byte array, for the seen-set key. */
    private static final class HexKey {
        static String of(byte[] b) {
            return java.util.HexFormat.of().formatHex(b);
        }
    }
}
