/**
 * Network sessions learned from RADIUS accounting: which device is on which NAS under which Acct-Session-Id, so a
 * compliance change can be pushed to the NAS (CoA/Disconnect). The durable table lives in the same database as
 * the compliance store. Every {@link io.nacgw.core.session.SessionStore} method blocks: never call it from an
 * event loop.
 */
package io.nacgw.core.session;
