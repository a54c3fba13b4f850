package io.nacgw.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.nacgw.core.device.DeviceRecord;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one {@code managedDevices} page token by token: {@code {"value": [ {device}, ... ], "@odata.nextLink":
 * "..."}} in any member order, unknown members skipped. Only the page's records are held, never the raw text, so
 * memory is bounded by the page size whatever the tenant size.
 */
final class PageParser {
    private final JsonFactory json;

    PageParser(JsonFactory json) {
        this.json = json;
    }

    /**
     * One parsed page; {@code nextLink} null on the last page, {@code maxLastSync} the newest check-in time that is
     * not in the future, null if no device had one.
     */
    record Page(List<DeviceRecord> devices, String nextLink, Instant maxLastSync, SyncWarnings warnings) {
    }

    /**
     * Parses a page read at {@code observedAt} (our clock) and served at {@code inventoryNow} (the inventory's
     * {@code Date} header, or null); a structural error is a {@link JsonParseException} with the location.
     */
    Page parse(InputStream in, Instant observedAt, Instant inventoryNow, SyncWarnings warnings) throws IOException {
        Instant futureLimit = GraphDeviceMapper.futureLimit(observedAt, inventoryNow);
        try (JsonParser p = json.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "a page must be a JSON object");
            }
            List<DeviceRecord> devices = new ArrayList<>();
            String next = null;
            boolean sawValue = false;
            Instant maxLastSync = null;
            GraphDevice d = new GraphDevice();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("value")) {
                    if (v != JsonToken.START_ARRAY) {
                        throw new JsonParseException(p, "'value' must be an array of devices");
                    }
                    sawValue = true;
                    JsonToken e;
                    while ((e = p.nextToken()) == JsonToken.START_OBJECT) {
                        readDevice(p, d);
                        DeviceRecord r = GraphDeviceMapper.map(d, observedAt, inventoryNow, warnings);
                        if (r != null) {
                            devices.add(r);
                            Instant seen = r.lastCheckIn().orElse(null);
                            if (seen != null && !seen.isAfter(futureLimit)
                                    && (maxLastSync == null || seen.isAfter(maxLastSync))) {
                                maxLastSync = seen;
                            }
                        }
                    }
                    if (e != JsonToken.END_ARRAY) {
                        throw new JsonParseException(p, "'value' must hold only device objects");
                    }
                } else if (name.equals("@odata.nextLink")) {
                    if (v == JsonToken.VALUE_STRING) {
                        next = p.getText();
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw new JsonParseException(p, "'@odata.nextLink' must be a string");
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new JsonParseException(p, "unexpected " + t + " in the page object");
            }
            if (!sawValue) {
                throw new JsonParseException(p, "the page has no 'value' array");
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "content after the end of the page object");
            }
            return new Page(devices, next == null || next.isBlank() ? null : next, maxLastSync, warnings);
        }
    }

    /**
     * Parses one {@code managedDevice} object (the answer to {@code GET managedDevices/{id}}); null when the device
     * is skipped (counted in {@code warnings}).
     */
    DeviceRecord parseOne(InputStream in, Instant observedAt, Instant inventoryNow, SyncWarnings warnings)
            throws IOException {
        try (JsonParser p = json.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "a device must be a JSON object");
            }
            GraphDevice d = new GraphDevice();
            readDevice(p, d);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "content after the end of the device object");
            }
            return GraphDeviceMapper.map(d, observedAt, inventoryNow, warnings);
        }
    }

    private static void readDevice(JsonParser p, GraphDevice d) throws IOException {
        d.clear();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            GraphField f = GraphField.byName(p.currentName());
            JsonToken v = p.nextToken();
            if (f == null || v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            switch (v) {
                case VALUE_STRING:
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    d.set(f, p.getText());
                    break;
                case VALUE_TRUE:
                    d.set(f, "true");
                    break;
                case VALUE_FALSE:
                    d.set(f, "false");
                    break;
                default:
                    d.set(f, null);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "unexpected " + t + " in a device object");
        }
    }
}
