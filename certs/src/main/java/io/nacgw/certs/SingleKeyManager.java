package io.nacgw.certs;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager holding exactly one identity, offered whenever the key type fits. Unlike the JDK's, a client
 * offers its certificate even when the server's list of acceptable CAs does not name its issuer, so the server
 * decides and says why (a foreign-CA certificate is refused as such, not silently replaced by none).
 */
final class SingleKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "nacgw";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    SingleKeyManager(PrivateKey key, List<X509Certificate> chain) {
        this.key = key;
        this.chain = chain.toArray(new X509Certificate[0]);
    }

    private boolean fits(String keyType) {
        return keyType != null && keyType.equals(key.getAlgorithm());
    }

    private String aliasFor(String[] keyTypes) {
        if (keyTypes != null) {
            for (String t : keyTypes) {
                if (fits(t)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return fits(keyType) ? ALIAS : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String toString() {
        return "SingleKeyManager[" + chain[0].getSubjectX500Principal().getName() + ", key=<hidden>]";
    }
}
