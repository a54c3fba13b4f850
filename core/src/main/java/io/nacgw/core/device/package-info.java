/**
 * What nacgw knows about a device: the immutable {@link io.nacgw.core.device.DeviceRecord} and the closed sets
 * (compliance, management, platform, ownership, threat level) it is made of, with the MDM's own wire names.
 */
package io.nacgw.core.device;
