/**
 * The wire edge: datagrams in and out, structural facts about raw packets, RADIUS cryptography (Message-Authenticator,
 * Request/Response Authenticators, PAP, CHAP) and the typed messages handlers exchange ({@link
 * io.nacgw.radius.codec.RadiusRequest}, {@link io.nacgw.radius.codec.RadiusResponse}). {@link
 * io.nacgw.radius.codec.RadiusCodec} is the only class that touches tinyradius. Also the structural validation of
 * raw packets ({@link io.nacgw.radius.codec.StructureValidator}, per {@link io.nacgw.radius.codec.ServicePort}) and
 * RadSec's stream framing ({@link io.nacgw.radius.codec.RadSecFrameDecoder}), used by server, client and CoA alike.
 */
package io.nacgw.radius.codec;
