package io.nacgw.gateway.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Which configuration keys differ between two loaded configurations (for a reload's report). */
public final class ConfigDiff {
    private ConfigDiff() {
    }

    /**
     * The dotted keys whose values differ, depth first: a record section is compared key by key, anything else
     * (a scalar, a list, a map such as {@code radius.clients} or {@code policy.profiles}) as one value.
     */
    public static List<String> changedKeys(NacgwConfig before, NacgwConfig after) {
        List<String> out = new ArrayList<>();
        compare("", before, after, out);
        return out;
    }

    private static void compare(String prefix, Object a, Object b, List<String> out) {
        if (Objects.equals(a, b)) {
            return;
        }
        if (a == null || b == null || !a.getClass().isRecord() || a.getClass() != b.getClass()) {
            out.add(prefix.isEmpty() ? "(all)" : prefix.substring(0, prefix.length() - 1));
            return;
        }
        for (RecordComponent rc : a.getClass().getRecordComponents()) {
            try {
                compare(prefix + rc.getName() + ".", rc.getAccessor().invoke(a), rc.getAccessor().invoke(b), out);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + prefix + rc.getName(), e);
            }
        }
    }
}
