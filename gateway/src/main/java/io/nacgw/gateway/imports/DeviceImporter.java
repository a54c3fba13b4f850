package io.nacgw.gateway.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nacgw.nacapi.json.DeviceJson;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.store.UpsertOutcome;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Streams a device file (JSON lines or CSV) into the store in batches, so a file of any size imports in constant
 * memory. Bad lines are reported with their line number and skipped; in strict mode the whole file is checked
 * first and nothing is imported when any line is bad.
 */
public final class DeviceImporter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** File formats. */
    public enum Format {
        JSONL, CSV;

        /** From the extension: {@code .csv} is CSV, anything else JSON lines. */
        public static Format of(Path file) {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? CSV : JSONL;
        }
    }

    /**
     * What an import did.
     *
     * @param records  records read (good and bad)
     * @param inserted new devices
     * @param updated  replaced devices
     * @param stale    ignored because the store had a newer version
     * @param bad      records that could not be read
     * @param aborted  true when strict mode found a bad record and imported nothing
     */
    public record Result(long records, long inserted, long updated, long stale, long bad, boolean aborted) {
    }

    private final Function<List<DeviceRecord>, List<UpsertOutcome>> sink;
    private final int batchSize;
    private final Clock clock;

    /**
     * @param sink      writes a batch and returns after commit (e.g. {@code ComplianceService::upsertAll})
     * @param batchSize records per batch (1 to 100000)
     */
    public DeviceImporter(Function<List<DeviceRecord>, List<UpsertOutcome>> sink, int batchSize, Clock clock) {
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("batch size must be 1 to 100000, got " + batchSize);
        }
        this.sink = sink;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /**
     * Imports {@code file}.
     *
     * @param errors   told of each bad record as "line N: what is wrong"
     * @param progress told after each committed batch
     */
    public Result importFile(Path file, Format format, boolean strict, Consumer<String> errors, Consumer<Result> progress)
            throws IOException {
        Instant now = clock.instant();
        if (strict) {
            long[] bad = {0};
            long[] read = {0};
            scan(file, format, now, r -> read[0]++, e -> {
                bad[0]++;
                read[0]++;
                errors.accept(e);
            });
            if (bad[0] > 0) {
                return new Result(read[0], 0, 0, 0, bad[0], true);
            }
        }
        long[] c = new long[5]; // records, inserted, updated, stale, bad
        List<DeviceRecord> batch = new ArrayList<>(batchSize);
        Runnable flush = () -> {
            if (batch.isEmpty()) {
                return;
            }
            for (UpsertOutcome o : sink.apply(batch)) {
                c[o == UpsertOutcome.INSERTED ? 1 : o == UpsertOutcome.UPDATED ? 2 : 3]++;
            }
            batch.clear();
            progress.accept(new Result(c[0], c[1], c[2], c[3], c[4], false));
        };
        scan(file, format, now, r -> {
            c[0]++;
            batch.add(r);
            if (batch.size() >= batchSize) {
                flush.run();
            }
        }, e -> {
            c[0]++;
            c[4]++;
            errors.accept(e);
        });
        flush.run();
        return new Result(c[0], c[1], c[2], c[3], c[4], false);
    }

    private void scan(Path file, Format format, Instant now, Consumer<DeviceRecord> good, Consumer<String> bad)
            throws IOException {
        if (format == Format.CSV) {
            scanCsv(file, now, good, bad);
        } else {
            scanJsonl(file, now, good, bad);
        }
    }

    /** The device format is the API's ({@link DeviceJson}); a file may leave lastModified out: the import time. */
    private static DeviceRecord fromTree(JsonNode node, Instant now) {
        if (node instanceof ObjectNode && !node.hasNonNull("lastModified")) {
            ((ObjectNode) node).put("lastModified", now.toString());
        }
        return DeviceJson.fromTree(node);
    }

    private static final java.util.Set<String> BOOLEANS = java.util.Set.of("policyAssigned", "jailbroken", "encrypted");

    /** A CSV row as the JSON object the API takes: macs split on ';' ',' or blanks, booleans as true/false. */
    private static ObjectNode csvObject(Map<String, Integer> cols, List<String> fields) {
        ObjectNode o = JSON.createObjectNode();
        for (Map.Entry<String, Integer> c : cols.entrySet()) {
            String v = fields.get(c.getValue()).strip();
            if (v.isEmpty()) {
                continue;
            }
            String name = c.getKey();
            if (name.equals("macs")) {
                ArrayNode a = o.putArray("macs");
                for (String m : v.split("[;,\\s]+")) {
                    if (!m.isEmpty()) {
                        a.add(m);
                    }
                }
            } else if (BOOLEANS.contains(name)) {
                switch (v.toLowerCase(Locale.ROOT)) {
                    case "true": case "yes": case "1": o.put(name, true); break;
                    case "false": case "no": case "0": o.put(name, false); break;
                    default: throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
                }
            } else {
                o.put(name, v);
            }
        }
        return o;
    }

    private static void scanJsonl(Path file, Instant now, Consumer<DeviceRecord> good, Consumer<String> bad)
            throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    good.accept(fromTree(JSON.readTree(line), now));
                } catch (JsonProcessingException e) {
                    bad.accept("line " + n + ": not valid JSON: " + e.getOriginalMessage());
                } catch (IllegalArgumentException e) {
                    bad.accept("line " + n + ": " + e.getMessage());
                }
            }
        }
    }

    private static void scanCsv(Path file, Instant now, Consumer<DeviceRecord> good, Consumer<String> bad)
            throws IOException {
        try (CsvReader csv = new CsvReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            List<String> header = csv.next();
            if (header == null) {
                return;
            }
            Map<String, Integer> cols = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String h = header.get(i).strip();
                if (i == 0 && h.startsWith("\uFEFF")) {
                    h = h.substring(1); // byte-order mark from spreadsheet exports
                }
                if (cols.put(h, i) != null) {
                    throw new IOException("line 1: column '" + h + "' appears twice");
                }
            }
            for (String h : cols.keySet()) {
                if (!DeviceJson.FIELDS.contains(h)) {
                    throw new IOException("line 1: unknown column '" + h + "' (known: " + String.join(", ", DeviceJson.FIELDS) + ")");
                }
            }
            if (!cols.containsKey("deviceId")) {
                throw new IOException("line 1: the header has no deviceId column");
            }
            List<String> row;
            while ((row = csv.next()) != null) {
                List<String> fields = row;
                if (fields.size() != header.size()) {
                    bad.accept("line " + csv.recordLine() + ": " + fields.size() + " fields, the header has " + header.size());
                    continue;
                }
                try {
                    good.accept(fromTree(csvObject(cols, fields), now));
                } catch (IllegalArgumentException e) {
                    bad.accept("line " + csv.recordLine() + ": " + e.getMessage());
                }
            }
        }
    }
}
