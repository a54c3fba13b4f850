package io.nacgw.certs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the CA keeps its files inside the data directory's {@code pki/} folder. The server reads
 * {@link #serverCertificate()}, {@link #serverKey()}, {@link #caCertificate()} and {@link #crl()}.
 *
 * <pre>
 * pki/
 *   ca.pem          CA certificate (trust anchor to give to NAC appliances)
 *   ca.key          CA private key, rw-------
 *   server.pem      server certificate followed by the CA certificate
 *   server.key      server private key, rw-------
 *   crl.pem         CRL signed by the CA, refreshed by every revocation
 *   index.tsv       issued certificates: serial, kind, validity, revocation, name
 *   clients/NAME/   NAME.pem, NAME.key (rw-------), NAME-chain.pem, NAME.p12 (rw-------)
 * </pre>
 */
public record PkiLayout(Path directory) {
    public PkiLayout {
        Objects.requireNonNull(directory, "directory");
    }

    public Path caCertificate() {
        return directory.resolve("ca.pem");
    }

    public Path caKey() {
        return directory.resolve("ca.key");
    }

    /** The server certificate chain: the server certificate, then the CA certificate. */
    public Path serverCertificate() {
        return directory.resolve("server.pem");
    }

    public Path serverKey() {
        return directory.resolve("server.key");
    }

    public Path crl() {
        return directory.resolve("crl.pem");
    }

    public Path index() {
        return directory.resolve("index.tsv");
    }

    /** The default output folder of a client certificate named {@code name}. */
    public Path clientDirectory(String name) {
        return directory.resolve("clients").resolve(name);
    }

    Path lockFile() {
        return directory.resolve(".lock");
    }
}
