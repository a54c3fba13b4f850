/**
 * Log policy shared by every transport: what a peer can trigger is logged at most once per peer
 * ({@link io.nacgw.core.log.PeerLogLimiter}) or once per interval with a count of the rest
 * ({@link io.nacgw.core.log.LogThrottle}).
 */
package io.nacgw.core.log;
