package io.nacgw.radius.server;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Decision;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.policy.ReasonCode;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.session.Authorization;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCrypto;
import io.nacgw.radius.codec.RadiusRequest;
import io.nacgw.radius.codec.RadiusResponse;
import io.nacgw.radius.eap.EapResult;
import io.nacgw.radius.eap.EapServer;
import io.nacgw.radius.proxy.ProxyAnswer;
import io.nacgw.radius.proxy.RadiusProxy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Decides an Access-Request: classifies it (MAB, authorize-only, or an authentication nacgw cannot perform),
 * identifies the device, looks it up in the compliance index (asynchronously: the future completes at once when
 * memory answers), applies the NAS client's profile and builds the reply. Thread-safe and non-blocking.
 */
final class AccessAuthorizer {
    static final String MSCHAP_MESSAGE = "nacgw does not perform MS-CHAP authentication; use MAB or authorize-only";
    static final String PASSWORD_MESSAGE = "nacgw cannot verify user passwords; send authorize-only requests or MAB";
    static final String MAB_MISMATCH_MESSAGE = "MAB password does not match the MAC address";
    static final String UPSTREAM_UNAVAILABLE_MESSAGE = "no upstream RADIUS server answered; try again later";

    /** How long an Accept counts as an active session when its verdict sets no Session-Timeout. */
    static final Duration FALLBACK_ACCEPT_LIFETIME = Duration.ofHours(8);

    private final AccessPolicy policy;
    private final ComplianceService compliance;
    private final Clock clock;
    private final Duration acceptLifetime;
    private final EapServer eap;
    private final DebugTrace debug;
    private final RadiusProxy proxy;
    private final Map<String, String> profileUpstreams;

    /** {@code acceptLifetime}: fixed, or {@link Duration#ZERO} for the verdict's Session-Timeout. */
    AccessAuthorizer(AccessPolicy policy, ComplianceService compliance, Clock clock, Duration acceptLifetime,
                     EapServer eap, DebugTrace debug) {
        this(policy, compliance, clock, acceptLifetime, eap, debug, null, Map.of());
    }

    /**
     * With upstream pools: a user login (PAP, CHAP, MS-CHAP, EAP) from a client or profile with
     * {@code authenticateWith} goes to {@code proxy}; {@code profileUpstreams} maps profile names to pools.
     */
    AccessAuthorizer(AccessPolicy policy, ComplianceService compliance, Clock clock, Duration acceptLifetime,
                     EapServer eap, DebugTrace debug, RadiusProxy proxy,
                     Map<String, String> profileUpstreams) {
        this.debug = debug;
        this.policy = policy;
        this.compliance = compliance;
        this.clock = clock;
        this.acceptLifetime = acceptLifetime;
        this.eap = eap;
        this.proxy = proxy;
        this.profileUpstreams = Map.copyOf(profileUpstreams);
    }

    /** The reply and audit facts for {@code r}; fails only when the compliance lookup fails (e.g. overloaded). */
    CompletableFuture<Outcome> authorize(RadiusRequest r) {
        Map<String, String> seen = RequestFacts.seen(r);
        if (proxy != null) {
            String login = userLogin(r);
            if (login != null) {
                Profile profile = profileOf(r);
                String pool = r.client().authenticateWith() != null ? r.client().authenticateWith()
                        : profileUpstreams.get(profile.name());
                if (pool != null) {
                    return proxied(r, seen, login, pool, profile);
                }
            }
        }
        if (r.has(AttributeType.EAP_MESSAGE)) {
            return eap.handle(r).thenCompose(res -> eapOutcome(r, seen, res));
        }
        if (isMsChap(r)) {
            return refuse(r, seen, "mschap", "mschap_not_supported", MSCHAP_MESSAGE);
        }
        MacAddress userMac = RequestFacts.userNameMac(r);
        MacAddress callingMac = RequestFacts.callingStationMac(r);
        boolean mab = isMab(r, userMac, callingMac);
        MacAddress mabMac = userMac != null ? userMac : callingMac;
        Attribute pap = r.first(AttributeType.USER_PASSWORD);
        Attribute chap = r.first(AttributeType.CHAP_PASSWORD);
        List<DeviceIdentifier> ids;
        String method;
        if (pap != null || chap != null) {
            String kind = pap != null ? "pap" : "chap";
            if (!mab || mabMac == null) {
                return refuse(r, seen, kind, "user_password_not_supported", PASSWORD_MESSAGE);
            }
            boolean ok = pap != null ? papIsMac(r, pap, mabMac) : chapIsMac(r, chap, mabMac);
            if (!ok) {
                return refuse(r, seen, "mab", "mab_password_mismatch", MAB_MISMATCH_MESSAGE);
            }
            method = "mab";
            ids = List.of(mabMac);
        } else if (mab && mabMac != null) {
            method = "mab";
            ids = List.of(mabMac);
        } else {
            method = "authorize-only";
            ids = RequestFacts.identifiers(r, r.client());
        }
        Profile profile = profileOf(r);
        return lookup(ids, 0).thenApply(found -> decide(r, seen, method, ids, found, profile, own -> own, List.of()));
    }

    private static boolean isMab(RadiusRequest r, MacAddress userMac, MacAddress callingMac) {
        Integer serviceType = r.integer(AttributeType.SERVICE_TYPE);
        return (serviceType != null && serviceType == AttributeType.SERVICE_TYPE_CALL_CHECK)
                || (userMac != null && userMac.equals(callingMac));
    }

    /**
     * The kind of user login {@code r} is (eap, mschap, pap, chap), which an upstream must check; null for MAB
     * (a password that is the MAC) and authorize-only, which nacgw answers itself.
     */
    private static String userLogin(RadiusRequest r) {
        if (r.has(AttributeType.EAP_MESSAGE)) {
            return "eap";
        }
        if (isMsChap(r)) {
            return "mschap";
        }
        boolean pap = r.has(AttributeType.USER_PASSWORD);
        if (!pap && !r.has(AttributeType.CHAP_PASSWORD)) {
            return null;
        }
        MacAddress userMac = RequestFacts.userNameMac(r);
        MacAddress callingMac = RequestFacts.callingStationMac(r);
        if (isMab(r, userMac, callingMac) && (userMac != null || callingMac != null)) {
            return null;
        }
        return pap ? "pap" : "chap";
    }

    /**
     * A login checked by {@code pool}: the upstream's Reject and Challenge go back as they are (State kept); its
     * Accept becomes the profile's decision on the device the request identifies: allow or quarantine → the
     * upstream's attributes merged with the profile's ({@link UpstreamMerge}), deny → Access-Reject with the reason.
     * No answer at all → Access-Reject, audited as upstream_unavailable.
     */
    private CompletableFuture<Outcome> proxied(RadiusRequest r, Map<String, String> seen, String login, String pool,
                                               Profile profile) {
        String method = "proxy-" + login;
        return proxy.forward(r, pool).thenCompose(a -> {
            Map<String, String> all = new LinkedHashMap<>(seen);
            if (a.upstream() != null) {
                all.put("upstream", pool + "/" + a.upstream());
            }
            if (a.kind() != ProxyAnswer.Kind.ANSWERED) {
                String reason = a.kind() == ProxyAnswer.Kind.TOO_LARGE ? "upstream_request_too_large"
                        : "upstream_unavailable";
                return CompletableFuture.completedFuture(new Outcome(new RadiusResponse(r, RadiusCode.ACCESS_REJECT,
                        ReplyAttributes.reject(UPSTREAM_UNAVAILABLE_MESSAGE)), method, all, null, null, profile.name(),
                        "reject", List.of(reason), null, Verdict.DENY, null, null));
            }
            if (a.code() == RadiusCode.ACCESS_CHALLENGE) {
                return CompletableFuture.completedFuture(new Outcome(new RadiusResponse(r, RadiusCode.ACCESS_CHALLENGE,
                        a.attributes()), method, all, null, null, profile.name(), "challenge", List.of(), null, null,
                        null, null));
            }
            if (a.code() != RadiusCode.ACCESS_ACCEPT) {
                return CompletableFuture.completedFuture(new Outcome(new RadiusResponse(r, RadiusCode.ACCESS_REJECT,
                        a.attributes()), method, all, null, null, profile.name(), "reject", List.of("upstream_reject"),
                        null, Verdict.DENY, null, null));
            }
            List<DeviceIdentifier> ids = RequestFacts.identifiers(r, r.client());
            return lookup(ids, 0).thenApply(found -> decide(r, all, method, ids, found, profile,
                    own -> UpstreamMerge.accept(a.attributes(), own), UpstreamMerge.eapFailureFor(a.attributes())));
        });
    }

    private Profile profileOf(RadiusRequest r) {
        return policy.profile(r.client().profileFor(RequestFacts.ssid(r), r.integer(AttributeType.NAS_PORT_TYPE)));
    }

    /**
     * An EAP round's answer: Access-Challenge; Access-Reject with EAP-Failure; or, once authenticated, the
     * profile's decision on the identifiers EAP found, with EAP-Success and the MS-MPPE keys in the Accept and
     * EAP-Failure in a Reject (RFC 3579 §2.6.3).
     */
    private CompletableFuture<Outcome> eapOutcome(RadiusRequest r, Map<String, String> seen, EapResult res) {
        Map<String, String> all = new LinkedHashMap<>(seen);
        all.putAll(res.seen());
        switch (res.kind()) {
            case CHALLENGE:
                return CompletableFuture.completedFuture(new Outcome(new RadiusResponse(r, RadiusCode.ACCESS_CHALLENGE,
                        res.attributes()), res.method(), all, null, null, null, "challenge", List.of(), null, null,
                        null, null));
            case REJECT: {
                List<Attribute> attrs = new ArrayList<>(ReplyAttributes.reject(res.message()));
                attrs.addAll(res.attributes());
                return CompletableFuture.completedFuture(new Outcome(new RadiusResponse(r, RadiusCode.ACCESS_REJECT,
                        attrs), res.method(), all, null, null, null, "reject", List.of(res.reason()), null, Verdict.DENY,
                        null, null));
            }
            case AUTHENTICATED:
            default: {
                Profile profile = profileOf(r);
                List<DeviceIdentifier> ids = res.identifiers();
                return lookup(ids, 0).thenApply(found -> decide(r, all, res.method(), ids, found, profile,
                        own -> concat(own, res.attributes()), res.failureAttributes()));
            }
        }
    }

    private static boolean isMsChap(RadiusRequest r) {
        return r.hasVendor(AttributeType.VENDOR_MICROSOFT, AttributeType.MS_CHAP_CHALLENGE)
                || r.hasVendor(AttributeType.VENDOR_MICROSOFT, AttributeType.MS_CHAP_RESPONSE)
                || r.hasVendor(AttributeType.VENDOR_MICROSOFT, AttributeType.MS_CHAP2_RESPONSE);
    }

    /** PAP-MAB: the hidden password, decrypted, is the same MAC in any format. */
    private static boolean papIsMac(RadiusRequest r, Attribute pap, MacAddress mac) {
        byte[] plain = RadiusCrypto.decryptPap(r.secret(), r.authenticator(), pap.value());
        return mac.equals(MacAddress.tryParse(new String(plain, StandardCharsets.UTF_8).strip()));
    }

    /** CHAP-MAB: CHAP hides the password, so try each MAC format a NAS may use. */
    private static boolean chapIsMac(RadiusRequest r, Attribute chap, MacAddress mac) {
        Attribute challengeAttr = r.first(AttributeType.CHAP_CHALLENGE);
        byte[] challenge = challengeAttr != null ? challengeAttr.value() : r.authenticator();
        byte[] response = chap.value();
        for (String form : macForms(mac)) {
            if (RadiusCrypto.verifyChap(response, challenge, form.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every MAC spelling {@link MacAddress#parse} accepts, in lower and upper case: 12 bare digits, and groups of 2,
     * 4 or 6 digits joined by {@code :}, {@code -} or {@code .} (20 forms).
     */
    static List<String> macForms(MacAddress mac) {
        String h = mac.toHex12().toLowerCase(Locale.ROOT);
        List<String> forms = new ArrayList<>(20);
        forms.add(h);
        forms.add(h.toUpperCase(Locale.ROOT));
        for (int group : new int[]{2, 4, 6}) {
            for (char sep : new char[]{':', '-', '.'}) {
                String s = grouped(h, group, sep);
                forms.add(s);
                forms.add(s.toUpperCase(Locale.ROOT));
            }
        }
        return forms;
    }

    private static String grouped(String h, int group, char sep) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 12; i += group) {
            if (i > 0) {
                sb.append(sep);
            }
            sb.append(h, i, i + group);
        }
        return sb.toString();
    }

    /** Looks the identifiers up in order until one names a known device. */
    private CompletableFuture<Found> lookup(List<DeviceIdentifier> ids, int i) {
        if (i >= ids.size()) {
            return CompletableFuture.completedFuture(new Found(null, ids.isEmpty() ? null : ids.get(0)));
        }
        DeviceIdentifier id = ids.get(i);
        return compliance.lookup(id).thenCompose((Optional<DeviceRecord> d) -> d.isPresent()
                ? CompletableFuture.completedFuture(new Found(d.get(), id)) : lookup(ids, i + 1));
    }

    private record Found(DeviceRecord device, DeviceIdentifier by) {
    }

    private Outcome decide(RadiusRequest r, Map<String, String> seen, String method, List<DeviceIdentifier> ids,
                           Found found, Profile profile, UnaryOperator<List<Attribute>> acceptAttributes,
                           List<Attribute> rejectExtra) {
        Decision d = profile.decide(found.device(), clock.millis());
        List<String> reasons = new ArrayList<>(4);
        if (ids.isEmpty()) {
            reasons.add("no_identifier");
        }
        for (ReasonCode c : d.reasons()) {
            reasons.add(c.wireName());
        }
        String used = found.by() == null ? null : found.by().kind().name().toLowerCase(Locale.ROOT) + ":"
                + found.by().canonical();
        String deviceId = found.device() == null ? null : found.device().deviceId().canonical();
        NasClient c = r.client();
        // nacgw debug: every rule in words, only for a traced request (one volatile read otherwise)
        String rules = debug.wants(r) ? profile.explain(found.device(), clock.instant()).render() : null;
        if (d.verdict() == Verdict.DENY) {
            return new Outcome(new RadiusResponse(r, RadiusCode.ACCESS_REJECT, concat(ReplyAttributes.reject(d),
                    rejectExtra)), method, seen, used, deviceId, profile.name(), "reject", reasons, null, d.verdict(),
                    null, rules);
        }
        String decisionId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        return new Outcome(new RadiusResponse(r, RadiusCode.ACCESS_ACCEPT,
                acceptAttributes.apply(ReplyAttributes.accept(d, c.vendor(), decisionId))),
                method, seen, used, deviceId, profile.name(),
                d.verdict() == Verdict.QUARANTINE ? "quarantine" : "accept", reasons, decisionId, d.verdict(),
                authorization(r, d, found, decisionId), rules);
    }

    /** The session this Accept authorises, or null when neither a MAC nor a known device identifies it. */
    private Authorization authorization(RadiusRequest r, Decision d, Found found, String decisionId) {
        MacAddress mac = found.by() instanceof MacAddress ? (MacAddress) found.by() : RequestFacts.callingStationMac(r);
        if (mac == null && found.device() == null) {
            return null;
        }
        Instant now = clock.instant();
        Duration lifetime = acceptLifetime;
        if (lifetime.isZero()) {
            Integer timeout = d.attributes().sessionTimeout();
            lifetime = timeout != null ? Duration.ofSeconds(timeout) : FALLBACK_ACCEPT_LIFETIME;
        }
        String user = r.text(AttributeType.USER_NAME);
        return new Authorization(RequestFacts.nas(r), RequestFacts.nasPort(r), RequestFacts.nasPortId(r), mac,
                found.device() == null ? null : found.device().deviceId(), user, d.profile(), d.verdict(),
                ReplyAttributes.classValue(decisionId), decisionId, now, now.plus(lifetime), d.answerHash());
    }

    private static List<Attribute> concat(List<Attribute> a, List<Attribute> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<Attribute> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    private static CompletableFuture<Outcome> refuse(RadiusRequest r, Map<String, String> seen, String method,
                                                     String reason, String message) {
        return CompletableFuture.completedFuture(new Outcome(
                new RadiusResponse(r, RadiusCode.ACCESS_REJECT, ReplyAttributes.reject(message)), method, seen, null,
                null, null, "reject", List.of(reason), null, Verdict.DENY, null, null));
    }
}
