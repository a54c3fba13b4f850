package io.nacgw.gateway;

import java.util.List;

/**
 * What a reload did: the changes applied to the running gateway, and the changed keys that only take effect after
 * a restart (ports, addresses, the store). A refused reload throws instead and changes nothing.
 *
 * @param applied       one line per applied change, e.g. "policy.profiles: changed corp-wifi"
 * @param restartNeeded changed keys the running gateway keeps at their old value until restarted
 */
record ReloadResult(List<String> applied, List<String> restartNeeded) {
    public ReloadResult {
        applied = List.copyOf(applied);
        restartNeeded = List.copyOf(restartNeeded);
    }

    /** True when the file had nothing new. */
    public boolean unchanged() {
        return applied.isEmpty() && restartNeeded.isEmpty();
    }
}
