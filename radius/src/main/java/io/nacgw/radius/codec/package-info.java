/**
 * The wire edge: datagrams in and out, structural facts about raw packets, RADIUS cryptography (Message-Authenticator,
 * Request/Response Authenticators, PAP, CHAP) and the typed messages handlers exchange ({@link
 * io.nacgw.radius.codec.RadiusRequest}, {@link io.nacgw.radius.codec.RadiusResponse}). {@link
 * io.nacgw.radius.codec.RadiusCodec} is the only class that touches tinyradius.
 */
package io.nacgw.radius.codec;
