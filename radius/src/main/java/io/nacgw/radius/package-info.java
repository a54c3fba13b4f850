/**
 * The RADIUS server's public surface: {@link io.nacgw.radius.RadiusServer} (bind, lifecycle, reload, stats), its
 * settings, and the NAS client registry ({@link io.nacgw.radius.NasClient}, shared secrets as {@link io.nacgw.core.secret.Secret},
 * {@link io.nacgw.radius.Cidr}). Wire handling lives in {@code codec}, the request path in {@code server}, the
 * decision log in {@code audit}.
 */
package io.nacgw.radius;
