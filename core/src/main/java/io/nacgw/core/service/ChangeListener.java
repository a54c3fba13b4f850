package io.nacgw.core.service;

/**
 * Told of every committed change, on the writing thread, after the index was updated. Must return quickly
 * (hand work to a queue); an exception is logged and does not affect the write or other listeners.
 */
@FunctionalInterface
public interface ChangeListener {
    void onChange(DeviceChange change);
}
