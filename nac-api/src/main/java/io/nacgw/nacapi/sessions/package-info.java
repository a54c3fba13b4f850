/**
 * Network sessions over HTTPS: {@link io.nacgw.nacapi.sessions.SessionApi} ({@code GET /api/v1/sessions}, CoA by
 * {@code :reauthenticate} / {@code :disconnect}), the listing query and JSON shared with the operations port
 * ({@link io.nacgw.nacapi.sessions.SessionListing}), and the CoA actions the gateway supplies
 * ({@link io.nacgw.nacapi.sessions.SessionActions}).
 */
package io.nacgw.nacapi.sessions;
