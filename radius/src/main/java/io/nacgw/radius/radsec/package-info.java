/**
 * RadSec (RADIUS over TLS over TCP, RFC 6614; framing per RFC 6613): {@link io.nacgw.radius.radsec.RadSecServer}
 * accepts NAS connections with mutual TLS, finds the NAS client by its certificate name and feeds each packet into
 * the same request path as UDP. The framing ({@link io.nacgw.radius.codec.RadSecFrameDecoder}) and constants
 * ({@link io.nacgw.radius.codec.RadSec}) are in {@code codec}; the client connection for sending to RadSec
 * servers ({@link io.nacgw.radius.proxy.RadSecClient}) is in {@code proxy}.
 */
package io.nacgw.radius.radsec;
