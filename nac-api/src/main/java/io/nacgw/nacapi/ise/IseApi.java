package io.nacgw.nacapi.ise;

import io.nacgw.nacapi.ApiException;
import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ApiRequest;
import io.nacgw.nacapi.ApiResponse;
import io.nacgw.nacapi.Paths;
import io.nacgw.nacapi.Route;
import io.nacgw.nacapi.RouteGroup;
import io.nacgw.nacapi.XmlWriter;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.Imei;
import io.nacgw.core.id.InvalidIdentifierException;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.Meid;
import io.nacgw.core.id.SerialNumber;
import io.nacgw.core.id.Udid;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Decision;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.service.ComplianceService;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

/**
 * The Cisco ISE MDM API, versions 1 to 3: {@code mdminfo} discovery, device attribute queries (single and
 * paged listings), batch queries and the action endpoints. Compliance comes from the caller's access-policy
 * profile, so ISE and RADIUS answer the same device the same way.
 */
public final class IseApi {
    static final int MAX_VERSION = 3;
    public static final String API_BASE = Paths.ISE_PREFIX + "/mdmapi";
    /** Cisco's bound for a v3 guid (the MDM's device id). */
    public static final int MAX_GUID_BYTES = 128;
    private static final String NOT_THE_MDM = "nacgw is a compliance gateway, not the MDM: device actions are "
            + "not supported; use the MDM console";

    /** Query criteria and the first API version that has them. */
    enum Criteria {
        MACADDRESS(1, true), MEID(2, true), UDID(2, true), IMEI(2, true), GUID(3, true), GUIDHN(3, false),
        COMPLIANCE(1, false), USERNAME(1, false), ALL(1, false);

        final int since;
        final boolean single;
        final String wire = name().toLowerCase(Locale.ROOT);

        Criteria(int since, boolean single) {
            this.since = since;
            this.single = single;
        }

        static Criteria parse(String s, int version) {
            if (s == null || s.isEmpty()) {
                return ALL;
            }
            for (Criteria c : values()) {
                if (c != ALL && c.wire.equalsIgnoreCase(s)) {
                    if (c.since > version) {
                        throw ApiException.badRequest("querycriteria '" + c.wire + "' needs API version " + c.since
                                + " or later");
                    }
                    return c;
                }
            }
            throw ApiException.badRequest("unknown querycriteria '" + Paths.printable(s)
                    + "' (expected macaddress, meid, udid, imei, guid, guidhn, compliance or username)");
        }
    }

    /** Device attributes, in the spec's order, with their filter names and first version. */
    enum Attr {
        REGISTER_STATUS("register_status", 1), COMPLIANCE("compliance_status", 1),
        DISK_ENCRYPTION_ON("disk_encryption_on", 1), PIN_LOCK_ON("pin_lock_on", 1), JAIL_BROKEN("jail_broken", 1),
        MANUFACTURER("manufacturer", 1), MODEL("model", 1), IMEI("imei", 1), MEID("meid", 1), UDID("udid", 1),
        SERIAL_NUMBER("serial_number", 1), OS_VERSION("os_version", 1), PHONE_NUMBER("phone_number", 1),
        LAST_CHECKIN("lastCheckinTimeStamp", 3), GUID("guid", 3), MACADDRESSES("macaddresses", 3);

        final String wire;
        final int since;

        Attr(String wire, int since) {
            this.wire = wire;
            this.since = since;
        }

        static EnumSet<Attr> parseFilter(String filter, int version) {
            EnumSet<Attr> out = EnumSet.noneOf(Attr.class);
            if (filter == null || filter.isBlank() || filter.strip().equalsIgnoreCase("all")) {
                for (Attr a : values()) {
                    if (a.since <= version) {
                        out.add(a);
                    }
                }
                return out;
            }
            // '+' joins names; a query-string decoder may already have turned it into a space
            for (String name : filter.split("[+ ,]")) {
                if (name.isEmpty()) {
                    continue;
                }
                Attr found = null;
                for (Attr a : values()) {
                    if (a.wire.equalsIgnoreCase(name) || (a == COMPLIANCE && name.equalsIgnoreCase("compliance"))) {
                        found = a;
                    }
                }
                if (found == null || found.since > version) {
                    throw ApiException.badRequest("unknown filter attribute '" + Paths.printable(name) + "'");
                }
                out.add(found);
            }
            return out;
        }
    }

    /** A parsed device query. */
    record Query(int version, String paging, Criteria criteria, String value, EnumSet<Attr> filter,
                 boolean keyByGuid) {
    }

    /** Replaced whole by a reload ({@link #update}); each use reads the current one. */
    private volatile IseSettings settings;
    private final ComplianceService service;
    private final AccessPolicy policy;
    private final Clock clock;
    private final Executor workers;
    private final DeviceListing listing;
    private final ApiMetrics metrics;

    /** New mdminfo values, redirect URL and page size from the next request on (a reload). */
    public void update(IseSettings next) {
        this.settings = java.util.Objects.requireNonNull(next, "next");
    }

    public IseApi(IseSettings settings, ComplianceService service, AccessPolicy policy, Clock clock, Executor workers,
           ApiMetrics metrics) {
        this.settings = settings;
        this.service = service;
        this.policy = policy;
        this.clock = clock;
        this.workers = workers;
        this.listing = new DeviceListing(service);
        this.metrics = metrics;
    }

    public List<Route> routes() {
        String v = API_BASE + "/{apiVersion}";
        return List.of(
                new Route(HttpMethod.GET, Paths.ISE_PREFIX + "/mdminfo", RouteGroup.PARTNER, this::mdminfo),
                new Route(HttpMethod.GET, v + "/devices", RouteGroup.PARTNER, this::devices),
                new Route(HttpMethod.GET, v + "/devices/{paging}/{querycriteria}/{value}/{filter}", RouteGroup.PARTNER,
                        this::devices),
                // v1's listing of every device: /devices/{paging}/{filter}, e.g. /devices/0/all
                new Route(HttpMethod.GET, v + "/devices/{paging}/{filter}", RouteGroup.PARTNER, this::devices),
                new Route(HttpMethod.POST, v + "/batchdevices", RouteGroup.PARTNER, this::batch),
                new Route(HttpMethod.POST, v + "/action", RouteGroup.PARTNER, this::action),
                new Route(HttpMethod.POST, v + "/action/{actionSpec}", RouteGroup.PARTNER, this::action));
    }

    // ---- mdminfo ----

    CompletionStage<ApiResponse> mdminfo(ApiRequest r) {
        String asked = r.param("ise_api_version");
        int version = 1; // v1 ISE sends no parameter
        if (asked != null) {
            try {
                version = Integer.parseInt(asked.strip());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("ise_api_version must be a positive integer");
            }
            if (version < 1) {
                throw ApiException.badRequest("ise_api_version must be a positive integer");
            }
        }
        int v = Math.min(version, MAX_VERSION);
        ByteBuf buf = r.alloc().buffer(512);
        XmlWriter x = new XmlWriter(buf).declaration();
        x.start("ise_api")
                .element("name", "mdminfo")
                .element("api_version", v)
                .element("api_path", API_BASE + "/v" + v)
                .element("redirect_url", settings.redirectUrl())
                .element("query_max_size", settings.queryMaxSize())
                .element("messaging_support", false)
                .element("vendor", settings.vendor())
                .element("product_name", settings.productName())
                .element("product_version", settings.productVersion())
                .end("ise_api");
        return CompletableFuture.completedFuture(ApiResponse.of(200, ApiResponse.XML, buf));
    }

    // ---- device queries ----

    CompletionStage<ApiResponse> devices(ApiRequest r) {
        int version = version(r);
        boolean pathStyle = r.pathVariable("filter") != null;
        String pagingParam = pathStyle ? r.pathVariable("paging") : r.param("paging");
        String criteriaParam = pathStyle ? r.pathVariable("querycriteria") : r.param("querycriteria");
        String value = pathStyle ? r.pathVariable("value") : r.param("value");
        String filter = pathStyle ? r.pathVariable("filter") : r.param("filter");
        Query q = query(version, pagingParam, criteriaParam, value, filter, r.param("deviceidentifier"));
        Profile profile = profileOf(r);
        if (q.criteria.single) {
            if (!"0".equals(q.paging)) {
                throw ApiException.badRequest("paging must be 0 for a single-device query");
            }
            DeviceIdentifier id = identifier(q.criteria, q.value);
            if (id == null) {
                return CompletableFuture.completedFuture(render(r, q, profile, List.of(), 0));
            }
            MacAddress key = id instanceof MacAddress ? (MacAddress) id : null;
            return lookup(id).thenApply(found -> render(r, q, profile,
                    found.map(d -> List.of(new Entry(d, key))).orElse(List.of()), 0));
        }
        return list(r, q, profile);
    }

    private CompletionStage<ApiResponse> list(ApiRequest r, Query q, Profile profile) {
        long after = cursor(q.paging);
        Predicate<DeviceRecord> criteria = predicate(q, profile);
        // keyed by MAC (v1/v2, or deviceidentifier=macaddress): one entry per MAC, since ISE matches the endpoint's
        // MAC and a docked laptop or a dual-NIC device connects with any of them; a device without one is of no use
        Predicate<DeviceRecord> matches = q.keyByGuid ? criteria : d -> !d.macs().isEmpty() && criteria.test(d);
        CompletableFuture<DeviceListing.Page> page;
        try {
            page = CompletableFuture.supplyAsync(() -> listing.page(matches, after, settings.queryMaxSize(),
                    q.keyByGuid ? d -> 1 : d -> d.macs().size()), workers);
        } catch (RejectedExecutionException e) {
            throw busy();
        }
        metrics.iseListings.increment();
        return page.thenApply(p -> {
            List<Entry> entries = new ArrayList<>(p.devices().size());
            for (DeviceRecord d : p.devices()) {
                if (q.keyByGuid) {
                    entries.add(new Entry(d, null));
                } else {
                    for (MacAddress m : d.macs()) {
                        entries.add(new Entry(d, m));
                    }
                }
            }
            return render(r, q, profile, entries, p.more() ? p.last() : 0);
        });
    }

    /**
     * The listing position in {@code paging}: 0 for the first page, else a {@code paging_info} this server gave
     * (the store sequence of the last device listed). Anything else is a 400.
     */
    static long cursor(String paging) {
        int n = paging.length();
        boolean digits = n >= 1 && n <= 18;
        for (int i = 0; i < n && digits; i++) {
            digits = paging.charAt(i) >= '0' && paging.charAt(i) <= '9';
        }
        if (!digits) {
            throw ApiException.badRequest("paging must be 0 or the paging_info of the previous page, got '"
                    + Paths.printable(paging) + "'");
        }
        return Long.parseLong(paging);
    }

    private Predicate<DeviceRecord> predicate(Query q, Profile profile) {
        switch (q.criteria) {
            case ALL:
                return d -> true;
            case COMPLIANCE: {
                boolean wantCompliant = bool(q.value);
                return d -> (profile.decide(d, clock.millis()).verdict() == Verdict.ALLOW) == wantCompliant;
            }
            case USERNAME: {
                String upn = required(q);
                return d -> d.userPrincipalName().map(upn::equalsIgnoreCase).orElse(false);
            }
            case GUIDHN: {
                String host = required(q);
                return d -> d.deviceName().map(host::equalsIgnoreCase).orElse(false);
            }
            default:
                throw new AssertionError(q.criteria);
        }
    }

    private static String required(Query q) {
        if (q.value == null || q.value.isBlank()) {
            throw ApiException.badRequest("querycriteria " + q.criteria.wire + " needs a value");
        }
        return q.value.strip();
    }

    private static boolean bool(String v) {
        if ("true".equalsIgnoreCase(v)) {
            return true;
        }
        if ("false".equalsIgnoreCase(v)) {
            return false;
        }
        throw ApiException.badRequest("querycriteria compliance needs value true or false");
    }

    static Query query(int version, String pagingParam, String criteria, String value, String filter,
                       String deviceIdentifier) {
        String p = pagingParam == null || pagingParam.isBlank() ? "0" : pagingParam.strip();
        Criteria c = Criteria.parse(criteria, version);
        if (c.single && (value == null || value.isBlank())) {
            throw ApiException.badRequest("querycriteria " + c.wire + " needs a value");
        }
        EnumSet<Attr> attrs = Attr.parseFilter(filter, version);
        boolean byGuid;
        if (deviceIdentifier == null || deviceIdentifier.isBlank()) {
            byGuid = version >= 3 && c != Criteria.MACADDRESS;
        } else if (deviceIdentifier.equalsIgnoreCase("guid")) {
            if (version < 3) {
                throw ApiException.badRequest("deviceidentifier=guid needs API version 3");
            }
            byGuid = true;
        } else if (deviceIdentifier.equalsIgnoreCase("macaddress")) {
            byGuid = false;
        } else {
            throw ApiException.badRequest("deviceidentifier must be guid or macaddress");
        }
        return new Query(version, p, c, value == null ? null : value.strip(), attrs, byGuid);
    }

    /**
     * The identifier in {@code value}, or null for a {@code guid} that is not a GUID: v3 lets an MDM use any id up to
     * 128 bytes, so another MDM's id is a device nacgw does not know (an empty list), not a malformed query.
     */
    static DeviceIdentifier identifier(Criteria c, String value) {
        try {
            switch (c) {
                case MACADDRESS: return MacAddress.parse(value.strip());
                case MEID: return Meid.parse(value);
                case UDID: return Udid.parse(value);
                case IMEI: return Imei.parse(value);
                case GUID: return DeviceGuid.intune(value);
                default: throw new AssertionError(c);
            }
        } catch (InvalidIdentifierException e) {
            if (c == Criteria.GUID && value.getBytes(StandardCharsets.UTF_8).length <= MAX_GUID_BYTES) {
                return null;
            }
            throw ApiException.badRequest(c == Criteria.GUID ? "a guid is at most " + MAX_GUID_BYTES + " bytes"
                    : e.getMessage());
        }
    }

    /** Looks {@code id} up; a GUID is tried as Intune id, then as Entra id. */
    private CompletableFuture<Optional<DeviceRecord>> lookup(DeviceIdentifier id) {
        CompletableFuture<Optional<DeviceRecord>> f = service.lookup(id);
        if (id.kind() == IdentifierKind.INTUNE_ID) {
            f = f.thenCompose(o -> o.isPresent() ? CompletableFuture.completedFuture(o)
                    : service.lookup(((DeviceGuid) id).as(IdentifierKind.ENTRA_ID)));
        }
        return ApiException.busyWhenOverloaded(f, this::busy);
    }

    private ApiException busy() {
        metrics.shed.increment();
        return new ApiException(503, "the server is busy; retry after " + settings.busyWaitSeconds() + " seconds",
                Map.of(HttpHeaderNames.RETRY_AFTER.toString(), Integer.toString(settings.busyWaitSeconds())), false);
    }

    // ---- batch ----

    CompletionStage<ApiResponse> batch(ApiRequest r) {
        int version = version(r);
        List<String> values = new ArrayList<>();
        String criteriaParam = r.param("querycriteria");
        String contentType = r.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(Locale.ROOT);
        byte[] body = r.bodyBytes();
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            QueryStringDecoder form = new QueryStringDecoder(new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8,
                    false, settings.queryMaxSize() + 8);
            for (String v : form.parameters().getOrDefault("value", List.of())) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        values.add(part.strip());
                    }
                }
            }
            if (criteriaParam == null && form.parameters().containsKey("querycriteria")) {
                criteriaParam = form.parameters().get("querycriteria").get(0);
            }
        } else {
            values.addAll(XmlBody.texts(body, settings.queryMaxSize(), "value").getOrDefault("value", List.of()));
        }
        if (values.isEmpty()) {
            throw ApiException.badRequest("the batch holds no value elements");
        }
        if (values.size() > settings.queryMaxSize()) {
            throw ApiException.badRequest("a batch may hold at most " + settings.queryMaxSize() + " values");
        }
        Query q = query(version, "0", criteriaParam == null ? "macaddress" : criteriaParam, values.get(0),
                r.param("filter"), r.param("deviceidentifier"));
        if (!q.criteria.single) {
            throw ApiException.badRequest("batch queries take macaddress, meid, udid, imei or guid values");
        }
        List<DeviceIdentifier> ids = new ArrayList<>(values.size());
        for (String v : values) {
            DeviceIdentifier id = identifier(q.criteria, v);
            if (id != null) {
                ids.add(id);
            }
        }
        List<CompletableFuture<Optional<DeviceRecord>>> all = new ArrayList<>(ids.size());
        for (DeviceIdentifier id : ids) {
            all.add(lookup(id));
        }
        Profile profile = profileOf(r);
        metrics.iseBatches.increment();
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            // one entry per device, or per (device, queried MAC) when keyed by MAC: ISE asked about each MAC
            Map<Object, Entry> entries = new LinkedHashMap<>();
            for (int i = 0; i < all.size(); i++) {
                Optional<DeviceRecord> d = all.get(i).join();
                if (d.isPresent()) {
                    MacAddress key = !q.keyByGuid && ids.get(i) instanceof MacAddress ? (MacAddress) ids.get(i) : null;
                    entries.putIfAbsent(key == null ? d.get().deviceId() : List.of(d.get().deviceId(), key),
                            new Entry(d.get(), key));
                }
            }
            return render(r, q, profile, new ArrayList<>(entries.values()), 0);
        });
    }

    // ---- actions ----

    CompletionStage<ApiResponse> action(ApiRequest r) {
        int version = version(r);
        String type = r.param("actionType");
        String spec = r.pathVariable("actionSpec");
        if (spec != null) {
            if (!spec.startsWith("actionType=")) {
                throw new ApiException(404, "no such action endpoint");
            }
            type = spec.substring("actionType=".length());
        }
        byte[] xml = null;
        if (MultipartForm.is(r)) {
            // IBM MaaS360's form: the XML as an uploaded part, actionType possibly as a field
            for (MultipartForm.Part p : MultipartForm.parts(r, 8)) {
                if ("actionType".equals(p.name())) {
                    type = type == null ? new String(p.content(), StandardCharsets.UTF_8).strip() : type;
                } else if (xml == null && startsWithElement(p.content())) {
                    xml = p.content();
                }
            }
            if (xml == null) {
                throw ApiException.badRequest("the multipart/form-data body holds no XML part");
            }
        } else {
            xml = r.bodyBytes();
        }
        if (type == null || !(type.equals("full_wipe") || type.equals("corporate_wipe") || type.equals("pin_lock"))) {
            throw ApiException.badRequest("actionType must be full_wipe, corporate_wipe or pin_lock");
        }
        Map<String, List<String>> ids = XmlBody.texts(xml, 16, "macaddress", "guid", "guidhn");
        String keyName = ids.containsKey("guid") ? "guid" : ids.containsKey("guidhn") ? "guidhn"
                : ids.containsKey("macaddress") ? "macaddress" : null;
        if (keyName == null) {
            throw ApiException.badRequest("the action body names no macaddress, guid or guidhn identifier");
        }
        metrics.iseActions.increment();
        ByteBuf buf = r.alloc().buffer(512);
        XmlWriter x = new XmlWriter(buf).declaration();
        x.start("ise_api").element("name", "action").element("api_version", version).start("deviceList");
        x.start("device").element(keyName, ids.get(keyName).get(0))
                .start("result").element("action_status", false).element("failure_reason", NOT_THE_MDM).end("result")
                .end("device");
        x.end("deviceList").end("ise_api");
        return CompletableFuture.completedFuture(ApiResponse.of(200, ApiResponse.XML, buf));
    }

    /** True when {@code b}, after whitespace and a byte-order mark, starts with {@code <}. */
    private static boolean startsWithElement(byte[] b) {
        int i = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        return i < b.length && b[i] == '<';
    }

    // ---- rendering ----

    /** One {@code <device>} of an answer: the device, and the MAC it is keyed by (null: its first, or its guid). */
    record Entry(DeviceRecord device, MacAddress key) {
    }

    private ApiResponse render(ApiRequest r, Query q, Profile profile, List<Entry> entries, long next) {
        ByteBuf buf = r.alloc().buffer(256 + entries.size() * 640);
        try {
            XmlWriter x = new XmlWriter(buf).declaration();
            x.start("ise_api").element("name", "attributes").element("api_version", q.version)
                    .element("paging_info", next);
            if (q.version >= 3) {
                x.element("server_busy_wait_seconds", 0);
            }
            if (entries.isEmpty()) {
                x.empty("deviceList");
            } else {
                x.start("deviceList");
                long now = clock.millis();
                DeviceRecord previous = null;
                Decision decision = null;
                for (Entry e : entries) {
                    if (e.device() != previous) {
                        previous = e.device();
                        decision = profile.decide(previous, now);
                    }
                    device(x, q, e.device(), decision, e.key());
                }
                x.end("deviceList");
            }
            x.end("ise_api");
            metrics.iseDevices.add(entries.size());
            return ApiResponse.of(200, ApiResponse.XML, buf);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    private void device(XmlWriter x, Query q, DeviceRecord d, Decision decision, MacAddress queried) {
        List<MacAddress> macs = d.macs();
        MacAddress mac = queried != null ? queried : macs.isEmpty() ? null : macs.get(0);
        x.start("device");
        if (q.keyByGuid) {
            x.element("guid", d.deviceId().canonical());
        } else {
            x.element("macaddress", mac == null ? null : mac.toHex12());
        }
        x.start("attributes");
        EnumSet<Attr> f = q.filter;
        boolean compliant = decision.verdict() == Verdict.ALLOW;
        if (f.contains(Attr.REGISTER_STATUS)) {
            x.element("register_status", d.managementState() == ManagementState.MANAGED);
        }
        if (f.contains(Attr.COMPLIANCE)) {
            x.start("compliance").element("status", compliant);
            if (!compliant) {
                x.element("failure_reason", decision.message());
                String remedy = decision.remediationUrl();
                x.element("remediation", remedy != null ? remedy : settings.redirectUrl());
            }
            x.end("compliance");
        }
        // never reported by the MDM: omitted (the spec's attributes are optional), not claimed false
        if (f.contains(Attr.DISK_ENCRYPTION_ON) && d.encryptionKnown()) {
            x.element("disk_encryption_on", d.encrypted());
        }
        // pin_lock_on and phone_number: the MDM feed carries neither; omitted rather than guessed
        if (f.contains(Attr.JAIL_BROKEN) && d.jailbreakKnown()) {
            x.element("jail_broken", d.jailbroken());
        }
        if (f.contains(Attr.MANUFACTURER)) {
            x.element("manufacturer", d.manufacturer().orElse(null));
        }
        if (f.contains(Attr.MODEL)) {
            x.element("model", d.model().orElse(null));
        }
        if (f.contains(Attr.IMEI)) {
            x.element("imei", d.imei().map(Imei::canonical).orElse(null));
        }
        if (f.contains(Attr.MEID)) {
            x.element("meid", d.meid().map(Meid::canonical).orElse(null));
        }
        if (f.contains(Attr.UDID)) {
            x.element("udid", d.udid().map(Udid::canonical).orElse(null));
        }
        if (f.contains(Attr.SERIAL_NUMBER)) {
            x.element("serial_number", d.serial().map(SerialNumber::canonical).orElse(null));
        }
        if (f.contains(Attr.OS_VERSION)) {
            x.element("os_version", osVersion(d));
        }
        if (q.version >= 3) {
            if (f.contains(Attr.LAST_CHECKIN) && d.lastCheckInEpochMilli() != Long.MIN_VALUE) {
                x.element("lastCheckinTimeStamp", d.lastCheckInEpochMilli());
            }
            if (f.contains(Attr.GUID)) {
                x.element("guid", d.deviceId().canonical());
            }
            if (f.contains(Attr.MACADDRESSES) && !macs.isEmpty()) {
                StringBuilder sb = new StringBuilder(64);
                for (int i = 0; i < macs.size() && i < 5; i++) { // the spec allows at most five
                    sb.append(i == 0 ? "" : ",").append(macs.get(i).toHex12());
                }
                x.element("macaddresses", sb.toString());
            }
        }
        x.end("attributes").end("device");
    }

    /** "iOS 17.2", "Android 14", "Windows 10.0.22631" — the shape of Cisco's examples. */
    private static String osVersion(DeviceRecord d) {
        String name;
        switch (d.platform()) {
            case IOS: name = "iOS"; break;
            case ANDROID: name = "Android"; break;
            case WINDOWS: name = "Windows"; break;
            case MACOS: name = "macOS"; break;
            case LINUX: name = "Linux"; break;
            default: name = null;
        }
        String v = d.osVersion().orElse(null);
        if (name == null) {
            return v;
        }
        return v == null ? name : name + " " + v;
    }

    private Profile profileOf(ApiRequest r) {
        String p = r.principal() == null ? null : r.principal().profile();
        if (p == null) {
            return policy.defaultProfile();
        }
        if (!policy.has(p)) {
            throw new ApiException(403, "this account's profile is not configured on the server");
        }
        return policy.profile(p);
    }

    private static int version(ApiRequest r) {
        String v = r.pathVariable("apiVersion");
        if (v != null && v.length() == 2 && v.charAt(0) == 'v' && v.charAt(1) >= '1' && v.charAt(1) <= '0' + MAX_VERSION) {
            return v.charAt(1) - '0';
        }
        throw new ApiException(404, "no such API version; ask /ciscoise/mdminfo/ for api_path");
    }
}
