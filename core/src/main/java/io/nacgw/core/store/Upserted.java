package io.nacgw.core.store;

/**
 * What an upsert did to one record, with the device's store sequence number
 * ({@link io.nacgw.core.device.DeviceRecord#storeSequence()}; 0 when the record was stale and not applied).
 */
public record Upserted(UpsertOutcome outcome, long storeSequence) {
}
