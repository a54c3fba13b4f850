/**
 * nacgw's certificates: a small file-based CA ({@link io.nacgw.certs.CertificateAuthority}) that issues the server
 * certificate and client certificates carrying a {@link io.nacgw.certs.Role}, revokes them through a CRL, and
 * writes PEM and PKCS#12 files; JDK TLS contexts built from those files with client-certificate verification,
 * revocation and reload ({@link io.nacgw.certs.TlsContexts}, {@link io.nacgw.certs.ReloadingTlsContext}); and
 * device identifiers read from MDM-issued certificates ({@link io.nacgw.certs.DeviceIds}).
 *
 * <p>BouncyCastle is used to build and parse X.509 structures only; it is never registered as a JCA provider and
 * never appears in a public signature, so callers see {@code java.security} and {@code javax.net.ssl} types.
 */
package io.nacgw.certs;
