package io.nacgw.loadgen;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * RadSec (RADIUS over TLS, RFC 6614) for the load generator: each source becomes one TLS connection presenting this
 * client certificate, checking the server's against {@code caFile} (its name against the target's address), TLS 1.2
 * or 1.3; packets are signed with the secret {@code radsec}.
 *
 * @param certificateChain  PEM: the client certificate (and its chain)
 * @param privateKey        PEM: its PKCS#8 private key
 * @param caFile            PEM: the CA(s) the server's certificate must chain to
 */
public record StreamTls(Path certificateChain, Path privateKey, Path caFile) {
    /** RFC 6614 §2.3. */
    public static final byte[] SECRET = {'r', 'a', 'd', 's', 'e', 'c'};

    public StreamTls {
        for (Path p : new Path[] {certificateChain, privateKey, caFile}) {
            Objects.requireNonNull(p, "--tls-cert, --tls-key and --tls-ca go together");
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("cannot read " + p);
            }
        }
    }

    /** The client context. */
    SslContext context() {
        try {
            return SslContextBuilder.forClient()
                    .keyManager(certificateChain.toFile(), privateKey.toFile())
                    .trustManager(caFile.toFile())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .endpointIdentificationAlgorithm("HTTPS")
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load the RadSec client certificate, key or CA: " + e.getMessage(), e);
        }
    }
}
