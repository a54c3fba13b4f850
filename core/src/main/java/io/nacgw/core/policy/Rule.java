package io.nacgw.core.policy;

/** The rules a profile evaluates, in evaluation order; names are used by {@code devices explain} and config. */
public enum Rule {
    KNOWN_DEVICE("device is known to the MDM"),
    MANAGED("device is managed"),
    COMPLIANCE_STATE("compliance state"),
    CHECK_IN("recent check-in"),
    PLATFORM("platform allowed"),
    OWNERSHIP("ownership allowed"),
    THREAT_LEVEL("threat level"),
    JAILBREAK("not jailbroken"),
    ENCRYPTION("storage encrypted");

    private final String title;

    Rule(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
