package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.IdentitySource;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.NasRegistry;
import io.nacgw.radius.Replies;
import io.nacgw.radius.RequestBuilder;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.VendorIdentity;
import io.nacgw.radius.VendorProfile;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.core.id.IdentifierKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Access-Requests through the whole pipeline against a real compliance index: what is answered, and how. */
final class AccessRequestTest {
    private static final Secret SECRET = Secret.of(TestWorld.SECRET);
    private TestWorld world;
    private Pipeline p;

    @BeforeEach
    void setUp() {
        world = new TestWorld();
        p = new Pipeline(world);
    }

    @AfterEach
    void tearDown() {
        p.close();
        world.close();
    }

    private static RequestBuilder mab(int id, String userName, String calling) {
        return RequestBuilder.access(id)
                .text(AttributeType.USER_NAME, userName)
                .text(AttributeType.CALLING_STATION_ID, calling)
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK)
                .integer(AttributeType.NAS_PORT_TYPE, 15);
    }

    private byte[] send(RequestBuilder b) {
        byte[] reply = p.auth(b.build(SECRET));
        assertNotNull(reply, "an answer");
        Replies.assertSigned(reply, b.authenticator(), SECRET, true);
        return reply;
    }

    private static String text(byte[] reply, int type) {
        Attribute a = Replies.first(reply, type);
        return a == null ? null : a.asText();
    }

    private static List<String> ciscoPairs(byte[] reply) {
        return Replies.attributes(reply).stream()
                .filter(a -> a.vendorId() == AttributeType.VENDOR_CISCO && a.type() == AttributeType.CISCO_AVPAIR)
                .map(Attribute::asText).collect(Collectors.toList());
    }

    @Test
    void mab_compliantPap_isAcceptedWithVlanFilterClassAndTimeout() {
        byte[] reply = send(mab(1, "001122334401", "00-11-22-33-44-01").pap("00:11:22:33:44:01"));
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
        assertEquals(1, reply[1], "identifier echoed");
        assertArrayEquals(new byte[]{0, 0, 0, 13}, Replies.first(reply, AttributeType.TUNNEL_TYPE).value(), "tag 0, VLAN");
        assertArrayEquals(new byte[]{0, 0, 0, 6}, Replies.first(reply, AttributeType.TUNNEL_MEDIUM_TYPE).value(), "tag 0, 802");
        assertArrayEquals(new byte[]{0, '1', '0', '0'}, Replies.first(reply, AttributeType.TUNNEL_PRIVATE_GROUP_ID).value());
        assertEquals("corp-acl", text(reply, AttributeType.FILTER_ID));
        assertEquals(3600, Replies.first(reply, AttributeType.SESSION_TIMEOUT).asInt());
        assertEquals(1, Replies.first(reply, AttributeType.TERMINATION_ACTION).asInt());
        String cls = text(reply, AttributeType.CLASS);
        assertTrue(cls.matches("nacgw:[0-9a-f]{16}"), cls);
        assertEquals(1, p.components.stats().accepts());
        String line = world.audit.isEmpty() ? awaitAudit() : world.audit.get(0);
        assertTrue(line.contains("\"verdict\":\"accept\""), line);
        assertTrue(line.contains("\"decisionId\":\"" + cls.substring(6) + "\""), "Class joins the audit line: " + line);
        assertTrue(line.contains("\"deviceId\":\"" + TestWorld.COMPLIANT_ID + "\""), line);
        assertTrue(line.contains("\"profile\":\"corp\""), line);
        assertTrue(line.contains("\"method\":\"mab\""), line);
    }

    /** The first audit line, waiting (bounded) for the audit writer thread to hand it to the sink. */
    private String awaitAudit() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (world.audit.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(!world.audit.isEmpty(), "an audit line");
        return world.audit.get(0);
    }

    @Test
    void mab_noncompliant_isRejectedWithRemediationMessage() {
        byte[] reply = send(mab(2, "00:11:22:33:44:02", "00-11-22-33-44-02").pap("001122334402"));
        assertEquals(RadiusCode.ACCESS_REJECT, reply[0]);
        String msg = text(reply, AttributeType.REPLY_MESSAGE);
        assertTrue(msg.startsWith("Denied: the device is not compliant"), msg);
        assertTrue(msg.endsWith(TestWorld.REMEDIATION), msg);
        assertNull(Replies.first(reply, AttributeType.TUNNEL_TYPE), "a Reject carries no authorization");
        assertEquals(1, p.components.stats().rejects());
        assertTrue(awaitAudit().contains("\"reasons\":[\"noncompliant\"]"));
    }

    @Test
    void mab_unknownDevice_followsProfile() {
        byte[] reply = send(mab(3, "00114433440f", "00-11-22-33-44-0F").chap("00114433440f"));
        // User-Name ≠ Calling-Station-Id, but Service-Type Call-Check marks MAB; CHAP against User-Name's MAC
        assertEquals(RadiusCode.ACCESS_REJECT, reply[0], "corp denies unknown devices");
    }

    /** HPE, D-Link, dotted pairs, Huawei colon quads, and the rest of the 2/4/6-digit spellings. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"001122-334401", "001122.334401", "00.11.22.33.44.01",
            "0011:2233:4401", "001122:334401", "0011-2233-4401", "0011.2233.4401", "00:11:22:33:44:01",
            "00-11-22-33-44-01", "001122334401"})
    void mab_everyVendorSpelling_inUserNamePapChapAndCallingStation_isAccepted(String spelling) {
        String upper = spelling.toUpperCase(java.util.Locale.ROOT);
        byte[] pap = send(mab(40, spelling, upper).pap(spelling));
        assertEquals(RadiusCode.ACCESS_ACCEPT, pap[0], "PAP " + spelling);
        byte[] chap = send(mab(41, upper, spelling).chap(spelling));
        assertEquals(RadiusCode.ACCESS_ACCEPT, chap[0], "CHAP " + spelling);
        byte[] chapUpper = send(mab(42, spelling, spelling).chap(upper));
        assertEquals(RadiusCode.ACCESS_ACCEPT, chapUpper[0], "CHAP " + upper);
    }

    @Test
    void mab_chapWithColonForm_isAccepted() {
        byte[] reply = send(mab(4, "00-11-22-33-44-01", "00-11-22-33-44-01").chap("00-11-22-33-44-01"));
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
    }

    @Test
    void mab_withoutServiceTypeButUserNameEqualsCallingStation_isMab() {
        byte[] reply = send(RequestBuilder.access(5).text(AttributeType.USER_NAME, "0011.2233.4401")
                .text(AttributeType.CALLING_STATION_ID, "00:11:22:33:44:01").pap("001122334401"));
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
    }

    @Test
    void mab_passwordNotTheMac_isRejected() {
        byte[] reply = send(mab(6, "001122334401", "00-11-22-33-44-01").pap("secret-password"));
        assertEquals(RadiusCode.ACCESS_REJECT, reply[0]);
        assertEquals(AccessAuthorizer.MAB_MISMATCH_MESSAGE, text(reply, AttributeType.REPLY_MESSAGE));
        assertTrue(awaitAudit().contains("mab_password_mismatch"));
    }

    @Test
    void userPap_isRejectedAsUnsupported() {
        byte[] reply = send(RequestBuilder.access(7).text(AttributeType.USER_NAME, "alice")
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01").pap("hunter2"));
        assertEquals(RadiusCode.ACCESS_REJECT, reply[0]);
        assertEquals(AccessAuthorizer.PASSWORD_MESSAGE, text(reply, AttributeType.REPLY_MESSAGE));
        assertTrue(awaitAudit().contains("user_password_not_supported"));
    }

    @Test
    void eap_whenDisabled_isRejectedWithEapFailureAndMessageAuthenticator() {
        RequestBuilder b = RequestBuilder.access(8).text(AttributeType.USER_NAME, "host/pc1")
                .raw(AttributeType.EAP_MESSAGE, new byte[]{2, 1, 0, 9, 1, 'p', 'c', '1', '!'});
        byte[] reply = send(b);
        assertEquals(RadiusCode.ACCESS_REJECT, reply[0]);
        // RFC 3579 §2.6.3: the Reject carries EAP-Failure (code 4) with the response's identifier, and MA first
        assertArrayEquals(new byte[]{4, 1, 0, 4}, Replies.first(reply, AttributeType.EAP_MESSAGE).value());
        assertEquals(AttributeType.MESSAGE_AUTHENTICATOR, reply[20] & 0xFF);
        assertTrue(text(reply, AttributeType.REPLY_MESSAGE).contains("radius.eap.enabled"));
        assertTrue(awaitAudit().contains("eap_disabled"));
    }

    @Test
    void msChap_isRejectedAsUnsupported() {
        int id = 9;
        for (int type : new int[]{AttributeType.MS_CHAP_CHALLENGE, AttributeType.MS_CHAP_RESPONSE,
                AttributeType.MS_CHAP2_RESPONSE}) {
            byte[] reply = send(RequestBuilder.access(id++).text(AttributeType.USER_NAME, "alice")
                    .vendorText(AttributeType.VENDOR_MICROSOFT, type, "0123456789abcdef"));
            assertEquals(AccessAuthorizer.MSCHAP_MESSAGE, text(reply, AttributeType.REPLY_MESSAGE), "type " + type);
        }
    }

    @Test
    void vpn_ciscoDeviceMac_identifiesDevice() {
        byte[] reply = send(RequestBuilder.access(10).text(AttributeType.USER_NAME, "alice")
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_AUTHORIZE_ONLY)
                .integer(AttributeType.NAS_PORT_TYPE, 5)
                .text(AttributeType.CALLING_STATION_ID, "203.0.113.9")
                .vendorText(9, 1, "mdm-tlv=device-platform=win")
                .vendorText(9, 1, "mdm-tlv=device-mac=00-11-22-33-44-01"));
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
        String line = awaitAudit();
        assertTrue(line.contains("\"method\":\"authorize-only\""), line);
        assertTrue(line.contains("\"identifierUsed\":\"mac:00:11:22:33:44:01\""), line);
    }

    @Test
    void vpn_ciscoDeviceUidGuid_isTriedFirst() {
        byte[] reply = send(RequestBuilder.access(11).text(AttributeType.USER_NAME, "alice")
                .vendorText(9, 1, "mdm-tlv=device-mac=00-11-22-33-44-01")
                .vendorText(9, 1, "mdm-tlv=device-uid=" + TestWorld.NONCOMPLIANT_ID));
        assertEquals(RadiusCode.ACCESS_REJECT, reply[0], "device-uid (noncompliant) wins over device-mac");
    }

    @Test
    void vpn_unknownFirstIdentifier_fallsBackToNext() {
        byte[] reply = send(RequestBuilder.access(12).text(AttributeType.USER_NAME, "alice")
                .vendorText(9, 1, "mdm-tlv=device-uid=" + java.util.UUID.randomUUID())
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01"));
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
    }

    @Test
    void vpn_noIdentifier_isDecidedAsUnknown() {
        byte[] reply = send(RequestBuilder.access(13).text(AttributeType.USER_NAME, "alice")
                .text(AttributeType.CALLING_STATION_ID, "203.0.113.9"));
        assertEquals(RadiusCode.ACCESS_REJECT, reply[0]);
        String line = awaitAudit();
        assertTrue(line.contains("no_identifier") && line.contains("device_unknown"), line);
    }

    @Test
    void vpn_configuredVendorAttribute_identifiesDevice() {
        NasClient fortigate = NasClient.builder("fw", "192.0.2.0/24", TestWorld.SECRET).profile("corp")
                .identitySources(List.of(IdentitySource.VENDOR_ATTRIBUTE))
                .vendorIdentity(new VendorIdentity(12356, 77, IdentifierKind.MAC)).build();
        p.components.reload(NasRegistry.of(List.of(fortigate)));
        byte[] reply = send(RequestBuilder.access(14).text(AttributeType.USER_NAME, "alice")
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-02") // not a configured source
                .vendorText(12356, 77, "00:11:22:33:44:01"));
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
    }

    @Test
    void profile_ssidRule_quarantinesWithCiscoRedirect() {
        byte[] reply = send(mab(15, "001122334402", "00-11-22-33-44-02").pap("001122334402")
                .text(AttributeType.CALLED_STATION_ID, "AA-BB-CC-DD-EE-FF:guest"));
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0], "quarantine is an Accept");
        assertArrayEquals(new byte[]{0, '9', '9', '9'}, Replies.first(reply, AttributeType.TUNNEL_PRIVATE_GROUP_ID).value());
        assertEquals(List.of("url-redirect=https://portal.example.com/q", "url-redirect-acl=REDIRECT-ACL"), ciscoPairs(reply));
        assertTrue(text(reply, AttributeType.REPLY_MESSAGE).startsWith("Quarantined:"));
        assertEquals(1, p.components.stats().quarantines());
        assertTrue(awaitAudit().contains("\"profile\":\"guest-wifi\""));
    }

    @Test
    void debugTrace_showsTheTracedDevicesPacketMaskedRulesAndAnswer_only() {
        var trace = p.components.debug();
        assertTrue(!trace.active(), "off by default");
        long id = trace.start(io.nacgw.core.id.MacAddress.parse("00:11:22:33:44:02"), null,
                java.time.Duration.ofSeconds(60), 5);
        send(mab(18, "001122334401", "00-11-22-33-44-01").pap("00:11:22:33:44:01")); // another device: not traced
        send(mab(19, "001122334402", "00-11-22-33-44-02").pap("001122334402")
                .text(AttributeType.CALLED_STATION_ID, "AA-BB-CC-DD-EE-FF:guest"));
        send(mab(20, "001122334402", "00-11-22-33-44-02").pap("super-secret-pw"));
        var batch = trace.poll(id);
        assertEquals(2, batch.events().size(), batch.events().toString());
        String e = batch.events().get(0);
        assertTrue(e.contains("Access-Request id 19 from 192.0.2.10"), e);
        assertTrue(e.contains("Calling-Station-Id = \"00-11-22-33-44-02\""), e);
        assertTrue(e.contains("User-Password = <masked, 16 bytes>"), e);
        assertTrue(e.contains("Message-Authenticator = <masked"), e);
        assertTrue(e.contains("identity: mac:00:11:22:33:44:02 -> device " + TestWorld.NONCOMPLIANT_ID.canonical()), e);
        assertTrue(e.contains("profile:  guest-wifi"), e);
        assertTrue(e.contains("| rules:"), "every rule of the profile: " + e);
        assertTrue(e.contains("answer:   Access-Accept quarantine [noncompliant]"), e);
        String refused = batch.events().get(1);
        assertTrue(refused.contains("profile:  (none: refused before any profile)"), refused);
        assertTrue(refused.contains("answer:   Access-Reject reject [mab_password_mismatch]"), refused);
        assertTrue(!refused.contains("super-secret"), refused);
        trace.stop(id);
        assertTrue(!trace.active());
        assertTrue(trace.poll(id).ended());
    }

    @Test
    void decisions_areTalliedByClientProfileAndReason_andQuarantineIsNotCountedAsAllowed() {
        send(mab(16, "001122334401", "00-11-22-33-44-01").pap("00:11:22:33:44:01"));
        send(mab(17, "001122334402", "00-11-22-33-44-02").pap("001122334402")
                .text(AttributeType.CALLED_STATION_ID, "AA-BB-CC-DD-EE-FF:guest"));
        var d = p.components.decisions();
        assertEquals(2, p.components.stats().accepts(), "two Access-Accepts");
        assertEquals(1, p.components.stats().allowed(), "the quarantine is not an allowed device");
        assertEquals(1, d.client("switch").count("allow"));
        assertEquals(1, d.client("switch").count("quarantine"));
        assertEquals(0, d.client("switch").count("reject"));
        assertEquals(1, d.profile("corp").count("allow"));
        assertEquals(1, d.profile("guest-wifi").count("quarantine"));
        assertEquals(0, d.profile("guest-wifi").count("allow"));
        assertEquals(1, d.reason("noncompliant"));
        assertEquals(world.clock.millis(), d.client("switch").lastRequestMillis(), "last request time of the client");
        assertNull(d.client("not-configured"), "only configured clients have a tally");
    }

    @Test
    void profile_arubaVendor_getsUserRole() {
        p.components.reload(NasRegistry.of(List.of(TestWorld.switchClient("192.0.2.0/24")
                .vendor(VendorProfile.ARUBA).build())));
        byte[] reply = send(mab(16, "001122334401", "00-11-22-33-44-01").pap("001122334401")
                .text(AttributeType.CALLED_STATION_ID, "aabbccddeeff:Guest"));
        List<Attribute> roles = Replies.attributes(reply).stream()
                .filter(a -> a.vendorId() == AttributeType.VENDOR_ARUBA).collect(Collectors.toList());
        assertEquals(1, roles.size());
        assertEquals("employee", roles.get(0).asText());
        assertTrue(ciscoPairs(reply).isEmpty(), "no Cisco pairs for an Aruba NAS");
    }

    @Test
    void reply_copiesProxyStateInOrder() {
        byte[] reply = send(mab(17, "001122334401", "00-11-22-33-44-01").pap("001122334401")
                .raw(AttributeType.PROXY_STATE, new byte[]{1}).raw(AttributeType.PROXY_STATE, new byte[]{2, 2}));
        List<Attribute> ps = Replies.attributes(reply).stream().filter(a -> a.type() == AttributeType.PROXY_STATE
                && !a.isVendor()).collect(Collectors.toList());
        assertEquals(2, ps.size());
        assertArrayEquals(new byte[]{1}, ps.get(0).value());
        assertArrayEquals(new byte[]{2, 2}, ps.get(1).value());
    }

    @Test
    void secrets_rotation_repliesWithTheSecretThatVerified() {
        p.components.reload(NasRegistry.of(List.of(TestWorld.switchClient("192.0.2.0/24").nextSecret("new-secret-456").build())));
        Secret next = Secret.of("new-secret-456");
        RequestBuilder b = mab(18, "001122334401", "00-11-22-33-44-01").pap("001122334401");
        byte[] reply = p.auth(b.build(next));
        assertNotNull(reply);
        Replies.assertSigned(reply, b.authenticator(), next, true);
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0], "PAP decrypted with the second secret");
    }

    @Test
    void reload_newSecret_oldSecretIsRefused() {
        p.components.reload(NasRegistry.of(List.of(NasClient.builder("switch", "192.0.2.0/24", "rotated-secret")
                .profile("corp").build())));
        long before = p.counters().drops(DropReason.BAD_MESSAGE_AUTHENTICATOR);
        assertNull(p.auth(mab(19, "001122334401", "00-11-22-33-44-01").pap("001122334401").build(SECRET)));
        assertEquals(before + 1, p.counters().drops(DropReason.BAD_MESSAGE_AUTHENTICATOR));
    }

    @Test
    void duplicate_answered_isResentByteForByte() {
        byte[] datagram = mab(20, "001122334401", "00-11-22-33-44-01").pap("001122334401").build(SECRET);
        byte[] first = p.auth(datagram);
        byte[] again = p.auth(datagram);
        assertArrayEquals(first, again, "same Class, same authenticator: the cached bytes");
        assertEquals(1, p.components.stats().duplicatesResent());
        assertEquals(1, p.components.stats().accepts(), "decided once");
    }

    @Test
    void duplicate_sameIdNewAuthenticator_isANewRequest() {
        byte[] first = p.auth(mab(21, "001122334401", "00-11-22-33-44-01").pap("001122334401").build(SECRET));
        byte[] second = p.auth(mab(21, "001122334401", "00-11-22-33-44-01").pap("001122334401").build(SECRET));
        assertNotNull(second);
        assertTrue(!java.util.Arrays.equals(first, second));
        assertEquals(0, p.components.stats().duplicatesResent());
        assertEquals(2, p.components.stats().accepts());
    }

    @Test
    void duplicate_afterTtl_isDecidedAgain() {
        byte[] datagram = mab(22, "001122334401", "00-11-22-33-44-01").pap("001122334401").build(SECRET);
        p.auth(datagram);
        world.clock.advance(TestWorld.settings().duplicateTtl().plusSeconds(1));
        assertNotNull(p.auth(datagram));
        assertEquals(0, p.components.stats().duplicatesResent());
        assertEquals(2, p.components.stats().accepts());
    }

    @Test
    void statusServer_isAnsweredOutsideTheDuplicateCache() {
        RequestBuilder b = RequestBuilder.status(30);
        byte[] d = b.build(SECRET);
        byte[] r1 = p.auth(d);
        byte[] r2 = p.auth(d);
        assertEquals(RadiusCode.ACCESS_ACCEPT, r1[0]);
        Replies.assertSigned(r1, b.authenticator(), SECRET, true);
        assertNotNull(r2);
        assertEquals(0, p.components.stats().duplicatesResent());
        assertEquals(2, p.components.stats().statusServer());
        RequestBuilder a = RequestBuilder.status(31);
        byte[] acct = p.acct(a.build(SECRET));
        assertEquals(RadiusCode.ACCOUNTING_RESPONSE, acct[0]);
        Replies.assertSigned(acct, a.authenticator(), SECRET, true);
    }

    private void read(RequestBuilder b) {
        p.auth.pipeline().fireChannelRead(new io.netty.channel.socket.DatagramPacket(
                io.netty.buffer.Unpooled.wrappedBuffer(b.build(SECRET)), Pipeline.LOCAL, Pipeline.NAS));
    }

    @Test
    void repliesToOneReadBatch_leaveWhenTheBatchEnds_signedAndInOrder() {
        List<RequestBuilder> batch = new java.util.ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            batch.add(mab(id, "001122334401", "00-11-22-33-44-01"));
            read(batch.get(id - 1));
        }
        assertNull(p.auth.readOutbound(), "nothing flushed while the batch is read");
        assertEquals(3, p.components.stats().accepts(), "all three decided already");

        p.auth.pipeline().fireChannelReadComplete();
        for (int id = 1; id <= 3; id++) {
            byte[] reply = Pipeline.poll(p.auth, Pipeline.NAS);
            assertNotNull(reply, "reply " + id);
            assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
            assertEquals(id, reply[1], "in the order read");
            Replies.assertSigned(reply, batch.get(id - 1).authenticator(), SECRET, true);
        }
        assertNull(p.auth.readOutbound());
    }

    @Test
    void aLongReadBatch_isFlushedEveryMaxRepliesPerFlush() {
        for (int id = 0; id < RadiusInitializer.MAX_REPLIES_PER_FLUSH; id++) {
            read(mab(id, "001122334401", "00-11-22-33-44-01"));
        }
        for (int id = 0; id < RadiusInitializer.MAX_REPLIES_PER_FLUSH; id++) {
            assertNotNull(Pipeline.poll(p.auth, Pipeline.NAS), "reply " + id + " left without waiting for the batch end");
        }
        read(mab(200, "001122334401", "00-11-22-33-44-01"));
        assertNull(p.auth.readOutbound(), "the next one waits again");
        p.auth.pipeline().fireChannelReadComplete();
        assertNotNull(Pipeline.poll(p.auth, Pipeline.NAS));
    }
}
