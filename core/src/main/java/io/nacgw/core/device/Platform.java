package io.nacgw.core.device;

/** Operating-system family of a device. */
public enum Platform {
    WINDOWS, MACOS, IOS, ANDROID, LINUX, OTHER;

    private static final Platform[] VALUES = values();
    private final String wire = name().toLowerCase(java.util.Locale.ROOT);

    public String wireName() {
        return wire;
    }

    /** Parses the wire name; also accepts the MDM spellings iPadOS, Mac OS, Windows 10 and friends via aliases. */
    public static Platform fromWire(String text) {
        return WireNames.parse(VALUES, Platform::wireName, "platform", text,
                "ipados=ios", "mac=macos", "osx=macos", "mac os=macos", "windows10=windows", "win=windows",
                "androidenterprise=android", "androidforwork=android", "unknown=other");
    }
}
