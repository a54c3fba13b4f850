/**
 * What every other radius package and the gateway share: the settings ({@link io.nacgw.radius.RadiusSettings}),
 * the services handed in ({@link io.nacgw.radius.RadiusServices}), the NAS client registry ({@link
 * io.nacgw.radius.NasClient}, shared secrets as {@link io.nacgw.core.secret.Secret}, {@link io.nacgw.radius.Cidr}),
 * drop reasons and the stats metrics read. It depends on no other radius package but {@code audit}; the server
 * that binds the ports is {@link io.nacgw.radius.bootstrap.RadiusServer}. Wire handling lives in {@code codec},
 * the request path in {@code server}, the decision log in {@code audit}.
 */
package io.nacgw.radius;
