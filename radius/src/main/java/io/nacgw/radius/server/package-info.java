/**
 * The request path: {@link io.nacgw.radius.server.RadiusInitializer} lists the handlers in order (source lookup,
 * structural validation, authenticator verification, duplicate cache, decode, Status-Server, access or
 * accounting), {@link io.nacgw.radius.server.ServerComponents} holds what they share. Handlers are stateless and
 * {@code @Sharable}; nothing here blocks an event loop. {@link io.nacgw.radius.server.DebugTrace} is the live
 * per-device or per-NAS trace the access and accounting handlers feed ({@code nacgw debug}).
 */
package io.nacgw.radius.server;
