package io.nacgw.gateway;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the JVM's heap fits the index the config allows. The index holds about 450 bytes per device (every
 * identifier key included, measured by {@code bench IndexFootprint}); with room for the collector that is about
 * 1 KiB per device on top of a 256 MiB base (servers, caches, buffers). Without {@code -Xmx} the JVM may grow its
 * heap to a quarter of the machine's memory: a gateway with a small index then holds gigabytes it does not need.
 */
public final class HeapCheck {
    static final long BASE_BYTES = 256L << 20;
    static final long BYTES_PER_DEVICE = 1024;

    private HeapCheck() {
    }

    /** Heap to give a gateway whose index holds {@code devices}, rounded up to 128 MiB. */
    public static long recommendedBytes(long devices) {
        long raw = BASE_BYTES + BYTES_PER_DEVICE * devices;
        long step = 128L << 20;
        return (raw + step - 1) / step * step;
    }

    /** The {@code -Xmx} option for {@link #recommendedBytes}, in MiB. */
    public static String recommendedXmx(long devices) {
        return "-Xmx" + (recommendedBytes(devices) >> 20) + "m";
    }

    /**
     * Warnings for a heap of {@code maxHeap} bytes ({@code explicit}: set by -Xmx or a MaxRAM option), an index
     * bounded by {@code maxDevices} and {@code resident} devices loaded now; empty when all is well.
     */
    static List<String> warnings(long maxHeap, boolean explicit, int maxDevices, long resident) {
        List<String> out = new ArrayList<>();
        long need = recommendedBytes(maxDevices);
        if (maxHeap < recommendedBytes(resident)) {
            out.add(String.format("the heap (%d MiB) is too small for the %d devices in memory now: start the JVM with "
                    + "%s or more", maxHeap >> 20, resident, recommendedXmx(resident)));
        } else if (maxHeap < need) {
            out.add(String.format("the heap (%d MiB) cannot hold index.maxDevices=%d devices (about %d MiB): start the JVM "
                    + "with %s, or lower index.maxDevices to what the heap holds (about %d)", maxHeap >> 20, maxDevices,
                    need >> 20, recommendedXmx(maxDevices), Math.max(0, (maxHeap - BASE_BYTES) / BYTES_PER_DEVICE)));
        }
        if (!explicit) {
            long sized = Math.min(maxDevices, Math.max(resident * 2, 100_000));
            out.add(String.format("no -Xmx given: the JVM may take up to %d MiB of heap; give it what the index needs, "
                    + "e.g. %s for up to %d devices (about 1 KiB per device + 256 MiB)", maxHeap >> 20,
                    recommendedXmx(sized), sized));
        }
        return out;
    }

    /** Warnings for this JVM. */
    public static List<String> warnings(int maxDevices, long resident) {
        return warnings(Runtime.getRuntime().maxMemory(), heapExplicit(), maxDevices, resident);
    }

    private static boolean heapExplicit() {
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize") || a.startsWith("-XX:MaxRAM")) {
                return true;
            }
        }
        return false;
    }
}
