package io.nacgw.gateway;

import io.nacgw.core.id.MacAddress;
import io.nacgw.radius.Replies;
import io.nacgw.radius.RequestBuilder;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * A switch in end-to-end tests: sends MAB Access-Requests and accounting from its own loopback address (127.0.0.x,
 * so several NASes can be told apart) to the gateway, and reads the answers.
 */
final class TestNas implements AutoCloseable {
    private final DatagramSocket socket;
    private final Secret secret;
    private final InetSocketAddress auth;
    private final InetSocketAddress acct;
    private int id;
    /** The Class of the last Accept, echoed in the next Start as a NAS does (it joins the Accept's session). */
    private byte[] lastClass;

    TestNas(String address, String secret, InetSocketAddress auth, InetSocketAddress acct) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        socket.setSoTimeout(5000);
        this.secret = Secret.of(secret);
        this.auth = auth;
        this.acct = acct;
    }

    /** MAB for {@code mac}: the VLAN of an Accept, "reject" for a Reject. */
    String mab(MacAddress mac) throws IOException {
        String m = mac.toHex12();
        byte[] reply = exchange(RequestBuilder.access(next()).pap(m).text(AttributeType.USER_NAME, m)
                .text(AttributeType.CALLING_STATION_ID, mac.toRfc3580())
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK).build(secret), auth);
        if ((reply[0] & 0xFF) == RadiusCode.ACCESS_REJECT) {
            return "reject";
        }
        Attribute cls = Replies.first(reply, AttributeType.CLASS);
        lastClass = cls == null ? null : cls.value();
        Attribute vlan = Replies.first(reply, AttributeType.TUNNEL_PRIVATE_GROUP_ID);
        return vlan == null ? "accept" : new String(Arrays.copyOfRange(vlan.value(), 1, vlan.length()),
                java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Accounting Start of {@code session} for {@code mac}; returns once the gateway stored it. */
    void start(String session, MacAddress mac) throws IOException {
        RequestBuilder b = RequestBuilder.accounting(next());
        if (lastClass != null) {
            b.raw(AttributeType.CLASS, lastClass);
            lastClass = null;
        }
        byte[] reply = exchange(b
                .integer(AttributeType.ACCT_STATUS_TYPE, AttributeType.ACCT_START)
                .text(AttributeType.ACCT_SESSION_ID, session).text(AttributeType.USER_NAME, mac.toHex12())
                .text(AttributeType.CALLING_STATION_ID, mac.toRfc3580()).build(secret), acct);
        if ((reply[0] & 0xFF) != RadiusCode.ACCOUNTING_RESPONSE) {
            throw new IOException("no Accounting-Response for " + session);
        }
    }

    private int next() {
        id = (id + 1) & 0xFF;
        return id;
    }

    private byte[] exchange(byte[] request, InetSocketAddress to) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            socket.send(new DatagramPacket(request, request.length, to));
            byte[] buf = new byte[4096];
            DatagramPacket dp = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(dp);
                return Arrays.copyOf(buf, dp.getLength());
            } catch (java.net.SocketTimeoutException e) {
                last = e;
            }
        }
        throw last;
    }

    @Override
    public void close() {
        socket.close();
    }
}
