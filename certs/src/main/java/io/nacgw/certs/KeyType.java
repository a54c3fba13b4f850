package io.nacgw.certs;

/** The key algorithm of a new CA; server and client certificates use the CA's type. */
public enum KeyType {
    /** ECDSA on NIST P-256 signed with SHA-256: small, fast, accepted by every current TLS stack. The default. */
    ECDSA_P256("EC", "SHA256withECDSA"),
    /** RSA 3072 signed with SHA-256, for peers that cannot do ECDSA. */
    RSA_3072("RSA", "SHA256withRSA");

    private final String jcaAlgorithm;
    private final String signatureAlgorithm;

    KeyType(String jcaAlgorithm, String signatureAlgorithm) {
        this.jcaAlgorithm = jcaAlgorithm;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The default key type, {@link #ECDSA_P256}. */
    public static KeyType defaultType() {
        return ECDSA_P256;
    }

    /** Parses {@code ecdsa}, {@code ecdsa-p256}, {@code ec}, {@code rsa} or {@code rsa-3072}, any case. */
    public static KeyType fromName(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        switch (n) {
            case "ec": case "ecdsa": case "ecdsa-p256": case "p256": case "p-256": return ECDSA_P256;
            case "rsa": case "rsa-3072": case "rsa3072": return RSA_3072;
            default: throw new IllegalArgumentException("unknown key type '" + Texts.printable(name)
                    + "' (expected ecdsa-p256 or rsa-3072)");
        }
    }

    String jcaAlgorithm() {
        return jcaAlgorithm;
    }

    String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** The key type of an existing public or private key's JCA algorithm name. */
    static KeyType ofAlgorithm(String jcaAlgorithm) {
        if ("EC".equals(jcaAlgorithm) || "ECDSA".equals(jcaAlgorithm)) {
            return ECDSA_P256;
        }
        if ("RSA".equals(jcaAlgorithm)) {
            return RSA_3072;
        }
        throw new CertsException("unsupported key algorithm " + jcaAlgorithm + " (expected EC or RSA)");
    }
}
