package io.nacgw.core.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * STYLE.md's "small public surface" from a module's compiled classes (read as {@link PackageCycles} reads them): a
 * type need be public only when another package uses it. Architecture tests call {@link #notUsedByAnotherPackage}
 * and assert the result is exactly the types that are public for other modules alone (an entry point, a type the
 * gateway wires), so a new public type nothing else uses fails the test until it is made package-private or named.
 */
public final class PublicTypes {
    private PublicTypes() {
    }

    /**
     * The public top-level types under {@code classes} whose package starts with {@code prefix} that no class of
     * another package under {@code classes} names (a nested class counts as its top-level class), sorted.
     */
    public static List<String> notUsedByAnotherPackage(Path classes, String prefix) {
        Map<String, PackageCycles.ClassFacts> all = PackageCycles.classes(classes);
        Set<String> usedElsewhere = new TreeSet<>();
        for (Map.Entry<String, PackageCycles.ClassFacts> c : all.entrySet()) {
            String from = PackageCycles.packageOf(c.getKey());
            for (String used : c.getValue().referenced()) {
                if (!PackageCycles.packageOf(used).equals(from)) {
                    usedElsewhere.add(PackageCycles.topLevel(used));
                }
            }
        }
        List<String> unused = new ArrayList<>();
        for (Map.Entry<String, PackageCycles.ClassFacts> c : all.entrySet()) {
            String name = c.getKey();
            if (c.getValue().isPublic() && !name.contains("$") && !name.endsWith(".package-info")
                    && PackageCycles.packageOf(name).startsWith(prefix) && !usedElsewhere.contains(name)) {
                unused.add(name);
            }
        }
        return unused;
    }
}
