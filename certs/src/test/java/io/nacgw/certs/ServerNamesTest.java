package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Validation of the server certificate's names. */
final class ServerNamesTest {

    @Test
    void of_sortsHostsFromIpLiterals_andDropsDuplicates() {
        ServerNames n = ServerNames.of(List.of("NACGW.example.org", "10.0.0.1", "fe80::1", "nacgw.example.org"));

        assertEquals(List.of("nacgw.example.org"), n.hosts());
        assertEquals(List.of("10.0.0.1", "fe80::1"), n.ips());
        assertEquals("nacgw.example.org", n.commonName());
    }

    @Test
    void defaults_coverLocalhostAndLoopbacks() {
        ServerNames n = ServerNames.defaults();

        assertTrue(n.hosts().contains("localhost"), n.toString());
        assertEquals(List.of("127.0.0.1", "::1"), n.ips());
    }

    @Test
    void invalidNames_areRefusedNamingTheValue() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new ServerNames(List.of("bad name"), List.of()));
        IllegalArgumentException ip = assertThrows(IllegalArgumentException.class,
                () -> new ServerNames(List.of(), List.of("300.1.1.1")));
        assertThrows(IllegalArgumentException.class, () -> new ServerNames(List.of(), List.of()));

        assertTrue(bad.getMessage().contains("'bad name'"), bad.getMessage());
        assertTrue(ip.getMessage().contains("'300.1.1.1'"), ip.getMessage());
    }

    @Test
    void ipOnly_usesIpAsCommonName() {
        assertEquals("192.0.2.1", new ServerNames(List.of(), List.of("192.0.2.1")).commonName());
    }
}
