package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Key type names as the CLI accepts them. */
final class KeyTypeTest {

    @Test
    void fromName_acceptsCommonSpellings() {
        assertEquals(KeyType.ECDSA_P256, KeyType.fromName("ecdsa-p256"));
        assertEquals(KeyType.ECDSA_P256, KeyType.fromName("EC"));
        assertEquals(KeyType.RSA_3072, KeyType.fromName("RSA_3072"));
        assertEquals(KeyType.ECDSA_P256, KeyType.defaultType());
    }

    @Test
    void fromName_unknown_isRefusedWithHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyType.fromName("dsa"));
        assertEquals("unknown key type 'dsa' (expected ecdsa-p256 or rsa-3072)", e.getMessage());
    }
}
