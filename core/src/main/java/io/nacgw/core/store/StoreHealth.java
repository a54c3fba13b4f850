package io.nacgw.core.store;

import java.time.Instant;

/**
 * Whether the store answers. {@code up == false}: writes are refused at once (see {@link StoreUnavailableException})
 * until a probe succeeds; reads of devices held in memory go on.
 *
 * @param up     false while the circuit breaker is open
 * @param reason why it opened (empty when up)
 * @param since  when it went down (null when up)
 */
public record StoreHealth(boolean up, String reason, Instant since) {
    public static final StoreHealth UP = new StoreHealth(true, "", null);
}
