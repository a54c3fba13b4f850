package io.nacgw.radius;

import io.nacgw.core.testing.PackageCycles;
import io.nacgw.core.testing.PublicTypes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rules of STYLE.md that the compiler cannot check. */
final class ArchitectureTest {
    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            return s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
    }

    private static List<String> importing(String prefix) throws IOException {
        return sources().stream().filter(p -> {
            try {
                return Files.readString(p).contains("import " + prefix);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }

    @Test
    void tinyradius_isUsedByExactlyOneClass() throws IOException {
        assertEquals(List.of("RadiusCodec.java"), importing("org.tinyradius"));
    }

    @Test
    void datagramPacket_staysAtTheSocketEdge() throws IOException {
        assertEquals(List.of("DatagramCodec.java"), importing("io.netty.channel.socket.DatagramPacket"));
    }

    @Test
    void packages_haveNoCycles() {
        assertEquals(List.of(), PackageCycles.in(Path.of("target/classes"), "io.nacgw.radius"));
    }

    /**
     * Every other public type is used by another radius package; these only by the gateway (or, for {@code
     * RadSecClient}, by tests as a NAS). A new public type that no other package uses fails here: make it
     * package-private, or name it when another module needs it.
     */
    @Test
    void publicTypes_areUsedByAnotherPackage_orNamedForOtherModules() {
        assertEquals(List.of("Cidr", "ProfileRule", "audit.AuditRotation", "bootstrap.RadiusServer",
                        "coa.CoaCoordinator", "coa.CoaRequest", "coa.CoaResult", "coa.CoaSender", "coa.CoaSettings",
                        "coa.CoaStats", "coa.CoaTrigger", "coa.SessionReauthorizer", "coa.SharedCoaSettings",
                        "eap.DeviceIdSource", "eap.OcspSettings", "proxy.RadSecClient", "proxy.UpstreamSettings",
                        "proxy.UpstreamState", "proxy.UpstreamStats", "radsec.CloseReason", "radsec.RadSecStats",
                        "radsec.Refusal"),
                PublicTypes.notUsedByAnotherPackage(Path.of("target/classes"), "io.nacgw.radius").stream()
                        .map(t -> t.substring("io.nacgw.radius.".length())).toList());
    }
}
