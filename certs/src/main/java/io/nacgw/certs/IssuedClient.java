package io.nacgw.certs;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A client certificate just issued: its index entry and the files written. {@code certificateFile} holds the
 * certificate alone, {@code chainFile} the certificate then the CA, {@code keyFile} the PKCS#8 key and
 * {@code pkcs12File} key and chain under the caller's password.
 */
public record IssuedClient(IssuedCert entry, X509Certificate certificate, Path certificateFile, Path keyFile,
        Path chainFile, Path pkcs12File, List<Written> written) {
    public IssuedClient {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(certificateFile, "certificateFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(chainFile, "chainFile");
        Objects.requireNonNull(pkcs12File, "pkcs12File");
        written = List.copyOf(written);
    }
}
