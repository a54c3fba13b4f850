package io.nacgw.core.service;

import io.nacgw.core.device.DeviceRecord;

/**
 * One committed change: {@code before} null for a new device, {@code after} null for a deletion.
 */
public record DeviceChange(DeviceRecord before, DeviceRecord after) {
    public DeviceChange {
        if (before == null && after == null) {
            throw new IllegalArgumentException("a change needs a before or an after");
        }
    }
}
