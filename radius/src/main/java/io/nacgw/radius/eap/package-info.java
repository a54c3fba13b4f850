/**
 * EAP over RADIUS (RFC 3579): EAP-Message reassembly, the conversation table keyed by State, and the methods
 * nacgw authenticates itself — EAP-TLS (RFC 5216, RFC 9190) with BouncyCastle's non-blocking TLS, and EAP-MD5
 * where the identity and password are the MAC (MAB from Juniper, Dell and Cisco {@code mab eap}). The result is
 * handed back to the Access-Request path, which decides with the same profiles as MAB.
 */
package io.nacgw.radius.eap;
