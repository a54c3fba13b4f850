package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Role names and role URIs. */
final class RoleTest {

    @Test
    void uri_isLowerCaseUrn() {
        assertEquals("urn:nacgw:role:partner", Role.PARTNER.uri());
        assertEquals("urn:nacgw:role:admin", Role.ADMIN.uri());
        assertEquals("urn:nacgw:role:nas", Role.NAS.uri());
    }

    @Test
    void fromUri_readsOwnUrisAnyCase_andIgnoresOthers() {
        assertEquals(Optional.of(Role.ADMIN), Role.fromUri("URN:NACGW:ROLE:Admin"));
        assertEquals(Optional.empty(), Role.fromUri("urn:nacgw:role:root"));
        assertEquals(Optional.empty(), Role.fromUri("IntuneDeviceId://x"));
        assertEquals(Optional.empty(), Role.fromUri(null));
    }

    @Test
    void fromName_parsesCliSpelling_andRejectsOthersWithHint() {
        assertEquals(Role.PARTNER, Role.fromName(" Partner "));
        assertEquals(Role.NAS, Role.fromName("nas"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Role.fromName("root"));
        assertEquals("unknown role 'root' (expected partner, admin or nas)", e.getMessage());
    }
}
