package io.nacgw.nacapi;

/** Who may call a route. */
public enum RouteGroup {
    /** NAC appliances: read-only lookups. Admins may call these too. */
    PARTNER(ApiRole.PARTNER),
    /** Writers: ingest and delete. */
    ADMIN(ApiRole.ADMIN);

    private final ApiRole needs;

    RouteGroup(ApiRole needs) {
        this.needs = needs;
    }

    public ApiRole needs() {
        return needs;
    }
}
