package io.nacgw.certs;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Builds JDK TLS contexts from nacgw's PEM files: {@link #server} for nac-api (and later RadSec/EAP-TLS), and
 * {@link #client} for tests, the load generator and tools. TLS 1.2 and 1.3 only, AEAD suites with forward secrecy.
 */
public final class TlsContexts {
    /** The protocols enabled, newest first. */
    public static final List<String> PROTOCOLS = TlsSettings.PROTOCOLS;
    /** The cipher suites enabled (where the JDK supports them), in preference order. */
    public static final List<String> CIPHER_SUITES = TlsSettings.CIPHER_SUITES;

    private TlsContexts() {
    }

    /**
     * A server context loaded now from {@code config}'s files; fails with a {@link CertsException} naming the file
     * that is missing or wrong. For one that follows file changes use {@link ReloadingTlsContext}.
     */
    public static ServerTls server(ServerTlsConfig config) {
        return DefaultServerTls.load(Objects.requireNonNull(config, "config"));
    }

    /** A client context that trusts the CAs in {@code trustedCaFiles} and presents no certificate. */
    public static ClientTls client(List<Path> trustedCaFiles) {
        return DefaultClientTls.create(List.copyOf(trustedCaFiles), null, List.of());
    }

    /** A client context presenting the certificate chain and PEM key given, trusting {@code trustedCaFiles}. */
    public static ClientTls client(List<Path> trustedCaFiles, Path certificateChain, Path privateKey) {
        return DefaultClientTls.fromPem(List.copyOf(trustedCaFiles), certificateChain, privateKey);
    }

    /** A client context presenting the key entry of a PKCS#12 file, trusting {@code trustedCaFiles}. */
    public static ClientTls clientFromPkcs12(List<Path> trustedCaFiles, Path pkcs12, char[] password) {
        return DefaultClientTls.fromPkcs12(List.copyOf(trustedCaFiles), pkcs12, password);
    }
}
