package io.nacgw.gateway;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.testing.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.nacgw.core.testing.TestDevices.NOW;
import static io.nacgw.core.testing.TestDevices.compliant;
import static io.nacgw.core.testing.TestDevices.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timed store is the one production uses: it must pass every store call through, not fall back to a default. */
final class TimedComplianceStoreTest {
    @RegisterExtension
    final Postgres pg = new Postgres();

    @Test
    void deletedVersions_arePassedThroughAndTimedAsARead() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Timer writes = registry.timer("w");
        Timer reads = registry.timer("r");
        try (ComplianceStore store = new TimedComplianceStore(ComplianceStore.open(pg.freshSchema()), writes, reads)) {
            store.upsert(compliant(1).lastModified(NOW).build());
            assertTrue(store.delete(id(1)));
            long before = reads.count();
            assertEquals(Map.of(id(1), NOW), store.deletedVersions(List.of(id(1), id(2))));
            assertEquals(before + 1, reads.count());
        }
    }

    @Test
    void everyDefaultMethodOfTheStore_isOverridden_exceptThoseThatRouteThroughAnother() {
        // upsert and upsertAll call upsertAllSequenced, which is timed; every other default answers for a store
        // that lacks the feature, so the wrapper would hide the wrapped store's answer
        Set<String> routed = Set.of("upsert", "upsertAll");
        List<String> missing = new ArrayList<>();
        for (Method m : ComplianceStore.class.getMethods()) {
            if (!m.isDefault() || routed.contains(m.getName())) {
                continue;
            }
            try {
                TimedComplianceStore.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        assertEquals(List.of(), missing, "ComplianceStore defaults TimedComplianceStore does not pass through");
    }
}
