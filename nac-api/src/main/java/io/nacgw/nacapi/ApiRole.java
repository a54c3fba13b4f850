package io.nacgw.nacapi;

/** What a caller may do: a {@link #PARTNER} (NAC appliance) reads; an {@link #ADMIN} also writes. */
public enum ApiRole {
    PARTNER, ADMIN;

    /** True when this role may use routes that require {@code needed}. */
    public boolean covers(ApiRole needed) {
        return ordinal() >= needed.ordinal();
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
