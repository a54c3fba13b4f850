package io.nacgw.certs;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CA's index file: one tab-separated line per issued certificate
 * ({@code serialHex kind notBefore notAfter revokedAt|- name}), a comment header, rewritten atomically.
 */
final class CertIndex {
    static final String HEADER = "# nacgw certificate index: serial\tkind\tnotBefore\tnotAfter\trevokedAt\tname\n";

    private CertIndex() {
    }

    static List<IssuedCert> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = new String(SecureFiles.read(file, "certificate index"), StandardCharsets.UTF_8);
        List<IssuedCert> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            out.add(parse(file, i + 1, line));
        }
        return List.copyOf(out);
    }

    private static IssuedCert parse(Path file, int lineNo, String line) {
        String[] f = line.split("\t", 6);
        String where = "certificate index " + file + " line " + lineNo;
        if (f.length != 6) {
            throw new CertsException(where + ": expected 6 tab-separated fields, found " + f.length);
        }
        BigInteger serial;
        try {
            serial = new BigInteger(f[0], 16);
        } catch (NumberFormatException e) {
            throw new CertsException(where + ": serial '" + Texts.printable(f[0]) + "' is not hex", e);
        }
        Optional<Role> role;
        if ("server".equals(f[1])) {
            role = Optional.empty();
        } else {
            try {
                role = Optional.of(Role.fromName(f[1]));
            } catch (IllegalArgumentException e) {
                throw new CertsException(where + ": kind: " + e.getMessage(), e);
            }
        }
        try {
            Instant notBefore = Instant.parse(f[2]);
            Instant notAfter = Instant.parse(f[3]);
            Optional<Instant> revoked = "-".equals(f[4]) ? Optional.empty() : Optional.of(Instant.parse(f[4]));
            return new IssuedCert(serial, f[5], role, notBefore, notAfter, revoked);
        } catch (DateTimeParseException e) {
            throw new CertsException(where + ": bad timestamp '" + Texts.printable(e.getParsedString())
                    + "' (expected ISO-8601 UTC such as 2026-01-31T12:00:00Z)", e);
        } catch (IllegalArgumentException e) {
            throw new CertsException(where + ": " + e.getMessage(), e);
        }
    }

    static void write(Path file, List<IssuedCert> entries) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (IssuedCert c : entries) {
            sb.append(c.serialHex()).append('\t').append(c.kind()).append('\t').append(c.notBefore()).append('\t')
                    .append(c.notAfter()).append('\t').append(c.revokedAt().map(Instant::toString).orElse("-"))
                    .append('\t').append(c.name()).append('\n');
        }
        SecureFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8), false);
    }
}
