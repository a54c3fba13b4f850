/**
 * The MDM sync connector: pages an inventory API shaped like Microsoft Graph {@code managedDevices} into the
 * compliance store through {@link io.nacgw.core.service.ComplianceService}. Public: {@link io.nacgw.sync.SyncService}
 * (factory, schedule, runs on demand), {@link io.nacgw.sync.SyncSettings}, {@link io.nacgw.core.secret.Secret} and the
 * status records; HTTP, token, paging and mapping are package-private.
 */
package io.nacgw.sync;
