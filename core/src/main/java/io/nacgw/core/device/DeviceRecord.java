package io.nacgw.core.device;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.Imei;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.Meid;
import io.nacgw.core.id.SerialNumber;
import io.nacgw.core.id.Udid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Everything nacgw keeps about one device, as the MDM last reported it. Immutable; build with {@link #builder}.
 *
 * <p>The fields are held compactly (GUIDs and numeric ids as longs, repeated strings interned) because a million
 * of these live in the heap at once; the typed accessors build the identifier objects on demand.
 */
public final class DeviceRecord {
    /** More than this many MACs for one device is a data error, not a dock collection. */
    public static final int MAX_MACS = 16;
    private static final long NONE = Long.MIN_VALUE;
    private static final ComplianceState[] STATES = ComplianceState.values();
    private static final ManagementState[] MANAGEMENT = ManagementState.values();
    private static final Platform[] PLATFORMS = Platform.values();
    private static final Ownership[] OWNERSHIPS = Ownership.values();
    private static final ThreatLevel[] THREATS = ThreatLevel.values();

    private final long idMsb;
    private final long idLsb;
    private final long entraMsb;
    private final long entraLsb;
    private final boolean hasEntra;
    private final String deviceName;
    private final String userPrincipalName;
    private final String osVersion;
    private final String model;
    private final String manufacturer;
    private final byte platform;
    private final byte ownership;
    private final byte management;
    private final byte compliance;
    private final byte threat;
    private final boolean policyAssigned;
    private final boolean jailbroken;
    private final boolean encrypted;
    private final boolean jailbreakKnown;
    private final boolean encryptionKnown;
    private final long graceExpiryMs;
    private final long lastCheckInMs;
    private final long lastModifiedMs;
    private final long[] macs;
    private final String serial;
    private final long imei;
    private final long meid;
    private final String udid;
    private final long storeSequence;

    private DeviceRecord(Builder b) {
        if (b.deviceId == null) {
            throw new IllegalArgumentException("deviceId is required");
        }
        if (b.deviceId.kind() != IdentifierKind.INTUNE_ID) {
            throw new IllegalArgumentException("deviceId must be an MDM (Intune) device id, not " + b.deviceId.kind());
        }
        if (b.lastModified == null) {
            throw new IllegalArgumentException("lastModified (the MDM's timestamp of this record) is required");
        }
        this.idMsb = b.deviceId.msb();
        this.idLsb = b.deviceId.lsb();
        this.hasEntra = b.entraId != null;
        this.entraMsb = hasEntra ? b.entraId.msb() : 0;
        this.entraLsb = hasEntra ? b.entraId.lsb() : 0;
        this.deviceName = text("deviceName", b.deviceName, 256, false);
        this.userPrincipalName = text("userPrincipalName", b.userPrincipalName, 256, false);
        this.osVersion = text("osVersion", b.osVersion, 64, true);
        this.model = text("model", b.model, 128, true);
        this.manufacturer = text("manufacturer", b.manufacturer, 128, true);
        this.platform = (byte) Objects.requireNonNull(b.platform, "platform").ordinal();
        this.ownership = (byte) Objects.requireNonNull(b.ownership, "ownership").ordinal();
        this.management = (byte) Objects.requireNonNull(b.managementState, "managementState").ordinal();
        this.compliance = (byte) Objects.requireNonNull(b.complianceState, "complianceState").ordinal();
        this.threat = (byte) Objects.requireNonNull(b.threatLevel, "threatLevel").ordinal();
        this.policyAssigned = b.policyAssigned;
        this.jailbroken = b.jailbroken != null && b.jailbroken;
        this.encrypted = b.encrypted != null && b.encrypted;
        this.jailbreakKnown = b.jailbroken != null;
        this.encryptionKnown = b.encrypted != null;
        this.graceExpiryMs = b.graceExpiry == null ? NONE : millis("graceExpiry", b.graceExpiry);
        this.lastCheckInMs = b.lastCheckIn == null ? NONE : millis("lastCheckIn", b.lastCheckIn);
        this.lastModifiedMs = millis("lastModified", b.lastModified);
        this.macs = sortedDistinct(b.macs);
        this.serial = b.serial == null ? null : b.serial.value();
        this.imei = b.imei == null ? NONE : b.imei.value();
        this.meid = b.meid == null ? NONE : b.meid.value();
        this.udid = b.udid == null ? null : b.udid.value();
        if (b.storeSequence < 0) {
            throw new IllegalArgumentException("storeSequence must not be negative");
        }
        this.storeSequence = b.storeSequence;
    }

    /** The MACs' values, sorted, without repeats (a loop, not a stream: a start-up builds a million of these). */
    private static long[] sortedDistinct(List<MacAddress> list) {
        long[] m = new long[list.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = list.get(i).value();
        }
        Arrays.sort(m);
        int n = 0;
        for (int i = 0; i < m.length; i++) {
            if (n == 0 || m[i] != m[n - 1]) {
                m[n++] = m[i];
            }
        }
        if (n > MAX_MACS) {
            throw new IllegalArgumentException("a device may have at most " + MAX_MACS + " MAC addresses, got " + n);
        }
        return n == m.length ? m : Arrays.copyOf(m, n);
    }

    /** Epoch milliseconds of {@code t}; an instant beyond their range (e.g. year +999999999) is a data error. */
    private static long millis(String field, Instant t) {
        try {
            long ms = t.toEpochMilli();
            if (ms == NONE) {
                throw new ArithmeticException(); // NONE marks an absent time
            }
            return ms;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(field + " is out of range: " + t);
        }
    }

    private static String text(String field, String value, int max, boolean intern) {
        if (value == null) {
            return null;
        }
        String s = value.strip();
        if (s.isEmpty()) {
            return null;
        }
        if (s.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new IllegalArgumentException(field + " contains a control character");
            }
        }
        // model, manufacturer and OS version repeat across thousands of devices: share one copy
        return intern ? s.intern() : s;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preloaded with this record's values. */
    public Builder toBuilder() {
        Builder b = new Builder()
                .deviceId(deviceId()).deviceName(deviceName).userPrincipalName(userPrincipalName)
                .platform(platform()).osVersion(osVersion).model(model).manufacturer(manufacturer)
                .ownership(ownership()).managementState(managementState()).complianceState(complianceState())
                .threatLevel(threatLevel()).policyAssigned(policyAssigned)
                .graceExpiry(graceExpiry().orElse(null)).lastCheckIn(lastCheckIn().orElse(null))
                .lastModified(lastModified()).macs(macs());
        b.entraId = entraId().orElse(null);
        b.serial = serial().orElse(null);
        b.imei = imei().orElse(null);
        b.meid = meid().orElse(null);
        b.udid = udid().orElse(null);
        b.storeSequence = storeSequence;
        b.jailbroken = jailbreakKnown ? jailbroken : null;
        b.encrypted = encryptionKnown ? encrypted : null;
        return b;
    }

    /** This record with the store's sequence number of the device (see {@link #storeSequence()}). */
    public DeviceRecord withStoreSequence(long sequence) {
        return sequence == storeSequence ? this : toBuilder().storeSequence(sequence).build();
    }

    public DeviceGuid deviceId() {
        return DeviceGuid.of(IdentifierKind.INTUNE_ID, new java.util.UUID(idMsb, idLsb));
    }

    public Optional<DeviceGuid> entraId() {
        return hasEntra ? Optional.of(DeviceGuid.of(IdentifierKind.ENTRA_ID, new java.util.UUID(entraMsb, entraLsb)))
                : Optional.empty();
    }

    public Optional<String> deviceName() {
        return Optional.ofNullable(deviceName);
    }

    public Optional<String> userPrincipalName() {
        return Optional.ofNullable(userPrincipalName);
    }

    public Platform platform() {
        return PLATFORMS[platform];
    }

    public Optional<String> osVersion() {
        return Optional.ofNullable(osVersion);
    }

    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    public Optional<String> manufacturer() {
        return Optional.ofNullable(manufacturer);
    }

    public Ownership ownership() {
        return OWNERSHIPS[ownership];
    }

    public ManagementState managementState() {
        return MANAGEMENT[management];
    }

    public ComplianceState complianceState() {
        return STATES[compliance];
    }

    public ThreatLevel threatLevel() {
        return THREATS[threat];
    }

    /** Whether any compliance policy is assigned to the device (Intune reports "no policy" separately). */
    public boolean policyAssigned() {
        return policyAssigned;
    }

    /** True when the MDM reported the device jailbroken or rooted; false when it reported not, or nothing. */
    public boolean jailbroken() {
        return jailbroken;
    }

    /** True when the MDM reported the device's storage encrypted; false when it reported not, or nothing. */
    public boolean encrypted() {
        return encrypted;
    }

    /** Whether the MDM reported {@link #jailbroken()} at all (Graph's {@code jailBroken} may be "Unknown"). */
    public boolean jailbreakKnown() {
        return jailbreakKnown;
    }

    /** Whether the MDM reported {@link #encrypted()} at all. */
    public boolean encryptionKnown() {
        return encryptionKnown;
    }

    /** End of the grace period for a device in {@link ComplianceState#IN_GRACE_PERIOD}. */
    public Optional<Instant> graceExpiry() {
        return graceExpiryMs == NONE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(graceExpiryMs));
    }

    /** {@link #graceExpiry()} in epoch milliseconds, {@link Long#MIN_VALUE} when absent; allocation-free. */
    public long graceExpiryEpochMilli() {
        return graceExpiryMs;
    }

    /** When the device last checked in with the MDM. */
    public Optional<Instant> lastCheckIn() {
        return lastCheckInMs == NONE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastCheckInMs));
    }

    /** {@link #lastCheckIn()} in epoch milliseconds, {@link Long#MIN_VALUE} when absent; allocation-free. */
    public long lastCheckInEpochMilli() {
        return lastCheckInMs;
    }

    /** The MDM's own last-modified time of this record; orders updates (an older one never replaces a newer). */
    public Instant lastModified() {
        return Instant.ofEpochMilli(lastModifiedMs);
    }

    public long lastModifiedEpochMilli() {
        return lastModifiedMs;
    }

    /** All MAC addresses (Wi-Fi, Ethernet, docks), sorted. */
    public List<MacAddress> macs() {
        List<MacAddress> out = new ArrayList<>(macs.length);
        for (long m : macs) {
            out.add(MacAddress.of(m));
        }
        return Collections.unmodifiableList(out);
    }

    public Optional<SerialNumber> serial() {
        return serial == null ? Optional.empty() : Optional.of(new SerialNumber(serial));
    }

    public Optional<Imei> imei() {
        return imei == NONE ? Optional.empty() : Optional.of(Imei.ofValue(imei));
    }

    public Optional<Meid> meid() {
        return meid == NONE ? Optional.empty() : Optional.of(Meid.parse(hex14(meid)));
    }

    private static String hex14(long v) {
        return Long.toHexString(v | (1L << 56)).substring(1);
    }

    public Optional<Udid> udid() {
        return udid == null ? Optional.empty() : Optional.of(new Udid(udid));
    }

    /**
     * The store's sequence number of this device: assigned when the device is first stored, unchanged by updates,
     * never reused; it orders the ISE listings (an integer {@code paging_info} that neither repeats nor skips a
     * device while others come and go). 0 for a record that has not been through the store. Not part of
     * {@link #equals}: it says where the device is kept, not what the MDM reported.
     */
    public long storeSequence() {
        return storeSequence;
    }

    /** Every identifier this device can be found by. */
    public List<DeviceIdentifier> identifiers() {
        List<DeviceIdentifier> ids = new ArrayList<>(6 + macs.length);
        ids.add(deviceId());
        entraId().ifPresent(ids::add);
        ids.addAll(macs());
        serial().ifPresent(ids::add);
        imei().ifPresent(ids::add);
        meid().ifPresent(ids::add);
        udid().ifPresent(ids::add);
        return ids;
    }

    /** The index key of {@link #deviceId()}, without allocating. */
    public long deviceIdIndexKey() {
        return DeviceGuid.indexKey(IdentifierKind.INTUNE_ID, idMsb, idLsb);
    }

    /** Calls {@code sink} with the index key of every identifier, without allocating. */
    public void forEachIndexKey(LongConsumer sink) {
        sink.accept(DeviceGuid.indexKey(IdentifierKind.INTUNE_ID, idMsb, idLsb));
        if (hasEntra) {
            sink.accept(DeviceGuid.indexKey(IdentifierKind.ENTRA_ID, entraMsb, entraLsb));
        }
        for (long m : macs) {
            sink.accept(DeviceIdentifier.key(IdentifierKind.MAC, m));
        }
        if (serial != null) {
            sink.accept(DeviceIdentifier.key(IdentifierKind.SERIAL, DeviceIdentifier.hash56(serial)));
        }
        if (imei != NONE) {
            sink.accept(DeviceIdentifier.key(IdentifierKind.IMEI, imei));
        }
        if (meid != NONE) {
            sink.accept(DeviceIdentifier.key(IdentifierKind.MEID, meid));
        }
        if (udid != null) {
            sink.accept(DeviceIdentifier.key(IdentifierKind.UDID, DeviceIdentifier.hash56(udid)));
        }
    }

    /** True when this device carries {@code id}. Allocation-free for MACs. */
    public boolean matches(DeviceIdentifier id) {
        switch (id.kind()) {
            case MAC:
                return Arrays.binarySearch(macs, ((MacAddress) id).value()) >= 0;
            case SERIAL:
                return serial != null && serial.equals(id.canonical());
            case IMEI:
                return imei == ((Imei) id).value();
            case MEID:
                return meid == ((Meid) id).value();
            case UDID:
                return udid != null && udid.equals(id.canonical());
            case INTUNE_ID:
                return ((DeviceGuid) id).msb() == idMsb && ((DeviceGuid) id).lsb() == idLsb;
            case ENTRA_ID:
                return hasEntra && ((DeviceGuid) id).msb() == entraMsb && ((DeviceGuid) id).lsb() == entraLsb;
            default:
                return false;
        }
    }

    /** True when both records name the same device (same MDM device id). */
    public boolean sameDevice(DeviceRecord other) {
        return other.idMsb == idMsb && other.idLsb == idLsb;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DeviceRecord)) {
            return false;
        }
        DeviceRecord r = (DeviceRecord) o;
        return idMsb == r.idMsb && idLsb == r.idLsb && hasEntra == r.hasEntra && entraMsb == r.entraMsb
                && entraLsb == r.entraLsb && Objects.equals(deviceName, r.deviceName)
                && Objects.equals(userPrincipalName, r.userPrincipalName) && Objects.equals(osVersion, r.osVersion)
                && Objects.equals(model, r.model) && Objects.equals(manufacturer, r.manufacturer)
                && platform == r.platform && ownership == r.ownership && management == r.management
                && compliance == r.compliance && threat == r.threat && policyAssigned == r.policyAssigned
                && jailbroken == r.jailbroken && encrypted == r.encrypted && jailbreakKnown == r.jailbreakKnown
                && encryptionKnown == r.encryptionKnown && graceExpiryMs == r.graceExpiryMs
                && lastCheckInMs == r.lastCheckInMs && lastModifiedMs == r.lastModifiedMs
                && Arrays.equals(macs, r.macs) && Objects.equals(serial, r.serial) && imei == r.imei
                && meid == r.meid && Objects.equals(udid, r.udid);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(idMsb ^ idLsb) * 31 + Long.hashCode(lastModifiedMs);
    }

    @Override
    public String toString() {
        return "DeviceRecord[" + deviceId() + (deviceName == null ? "" : " '" + deviceName + "'") + ", "
                + managementState().wireName() + ", " + complianceState().wireName() + ", " + platform().wireName()
                + ", macs=" + macs().size() + ", modified=" + lastModified() + "]";
    }

    /**
     * Mutable builder; defaults: platform other, ownership unknown, unmanaged, unknown state, policy assigned,
     * jailbreak and encryption not reported.
     */
    public static final class Builder {
        private DeviceGuid deviceId;
        private DeviceGuid entraId;
        private String deviceName;
        private String userPrincipalName;
        private Platform platform = Platform.OTHER;
        private String osVersion;
        private String model;
        private String manufacturer;
        private Ownership ownership = Ownership.UNKNOWN;
        private ManagementState managementState = ManagementState.UNMANAGED;
        private ComplianceState complianceState = ComplianceState.UNKNOWN;
        private ThreatLevel threatLevel = ThreatLevel.UNKNOWN;
        private boolean policyAssigned = true;
        private Boolean jailbroken;
        private Boolean encrypted;
        private Instant graceExpiry;
        private Instant lastCheckIn;
        private Instant lastModified;
        private final List<MacAddress> macs = new ArrayList<>(2);
        private SerialNumber serial;
        private Imei imei;
        private Meid meid;
        private Udid udid;
        private long storeSequence;

        private Builder() {
        }

        public Builder deviceId(DeviceGuid v) { this.deviceId = v; return this; }
        public Builder entraId(DeviceGuid v) {
            if (v != null && v.kind() != IdentifierKind.ENTRA_ID) {
                v = v.as(IdentifierKind.ENTRA_ID);
            }
            this.entraId = v;
            return this;
        }
        public Builder deviceName(String v) { this.deviceName = v; return this; }
        public Builder userPrincipalName(String v) { this.userPrincipalName = v; return this; }
        public Builder platform(Platform v) { this.platform = v; return this; }
        public Builder osVersion(String v) { this.osVersion = v; return this; }
        public Builder model(String v) { this.model = v; return this; }
        public Builder manufacturer(String v) { this.manufacturer = v; return this; }
        public Builder ownership(Ownership v) { this.ownership = v; return this; }
        public Builder managementState(ManagementState v) { this.managementState = v; return this; }
        public Builder complianceState(ComplianceState v) { this.complianceState = v; return this; }
        public Builder threatLevel(ThreatLevel v) { this.threatLevel = v; return this; }
        public Builder policyAssigned(boolean v) { this.policyAssigned = v; return this; }
        public Builder jailbroken(boolean v) { this.jailbroken = v; return this; }
        public Builder encrypted(boolean v) { this.encrypted = v; return this; }
        /** As reported by the MDM; null: not reported (ISE then gets no {@code jail_broken} element). */
        public Builder jailbroken(Boolean v) { this.jailbroken = v; return this; }
        /** As reported by the MDM; null: not reported (ISE then gets no {@code disk_encryption_on} element). */
        public Builder encrypted(Boolean v) { this.encrypted = v; return this; }
        public Builder graceExpiry(Instant v) { this.graceExpiry = v; return this; }
        public Builder lastCheckIn(Instant v) { this.lastCheckIn = v; return this; }
        public Builder lastModified(Instant v) { this.lastModified = v; return this; }
        public Builder addMac(MacAddress v) { this.macs.add(Objects.requireNonNull(v)); return this; }
        public Builder macs(List<MacAddress> v) { this.macs.clear(); this.macs.addAll(v); return this; }
        public Builder serial(SerialNumber v) { this.serial = v; return this; }
        public Builder imei(Imei v) { this.imei = v; return this; }
        public Builder meid(Meid v) { this.meid = v; return this; }
        public Builder udid(Udid v) { this.udid = v; return this; }
        /** Set by the store when it reads or writes a record; see {@link DeviceRecord#storeSequence()}. */
        public Builder storeSequence(long v) { this.storeSequence = v; return this; }

        public DeviceRecord build() {
            return new DeviceRecord(this);
        }
    }
}
