/**
 * RadSec (RADIUS over TLS over TCP, RFC 6614; framing per RFC 6613): {@link io.nacgw.radius.radsec.RadSecServer}
 * accepts NAS connections with mutual TLS, finds the NAS client by its certificate name and feeds each packet into
 * the same request path as UDP; {@link io.nacgw.radius.radsec.RadSecClient} is one client connection (framing,
 * identifier matching, Status-Server) for sending to RadSec servers.
 */
package io.nacgw.radius.radsec;
