package io.nacgw.gateway.cli;

import io.nacgw.core.testing.Needs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code nacgw certs ...} end to end, in-process, on real files in a throw-away directory. */
final class CertsCommandTest {
    /** Set by surefire (gateway/pom.xml): a JVM cannot set its own environment. */
    private static final String PASSWORD_ENV = "NACGW_TEST_P12_PASSWORD";
    private static final String FILE_PASSWORD = "file-secret-Kx3";
    private static final Pattern SERIAL = Pattern.compile("serial ([0-9A-F]+)");

    @TempDir
    Path dir;

    /** Every stdout and stderr text of this test, to check no password leaks into any of them. */
    private final List<String> printed = new ArrayList<>();

    private record Run(int status, String out, String err) {
    }

    private Run run(String... args) {
        Cli.Result c = Cli.run(args);
        Run r = new Run(c.status(), c.out(), c.err());
        printed.add(r.out);
        printed.add(r.err);
        return r;
    }

    private Run ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.status, String.join(" ", args) + "\n" + r.out + r.err);
        return r;
    }

    private Path pki() {
        return dir.resolve("pki");
    }

    private Path passwordFile() throws IOException {
        Path f = dir.resolve("p12.pass");
        if (!Files.exists(f)) {
            Files.writeString(f, FILE_PASSWORD + "\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
        return f;
    }

    private Run init(String... extra) {
        List<String> args = new ArrayList<>(List.of("certs", "init", "--pki", pki().toString(), "--host", "nacgw.test",
                "--ip", "127.0.0.1"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private Run issue(String name, String role) throws IOException {
        return ok("certs", "issue", "--pki", pki().toString(), "--name", name, "--role", role,
                "--password-file", passwordFile().toString());
    }

    private static String serialOf(Run issued) {
        Matcher m = SERIAL.matcher(issued.out);
        assertTrue(m.find(), issued.out);
        return m.group(1);
    }

    private static String lineWith(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).findFirst()
                .orElseGet(() -> fail("no line with '" + needle + "' in:\n" + text));
    }

    private void assertNoPasswordPrinted(String password) {
        for (String s : printed) {
            assertFalse(s.contains(password), "password printed in:\n" + s);
        }
    }

    @Test
    void everyCertsCommand_hasHelp() {
        for (String sub : List.of("", "init", "issue", "list", "revoke", "crl", "inspect")) {
            Run r = sub.isEmpty() ? ok("certs", "--help") : ok("certs", sub, "--help");
            assertTrue(r.out.contains("Usage: nacgw certs"), r.out);
        }
        assertTrue(ok("certs", "issue", "--help").out.contains("--password-file"));
        assertFalse(ok("certs", "issue", "--help").out.contains("--password "), "no option takes the password itself");
    }

    @Test
    void initIssueListRevokeList_showsRevokedAndRefreshesCrl() throws Exception {
        Run init = init();
        assertEquals(0, init.status, init.err);
        assertTrue(init.out.contains("wrote CA certificate: " + pki().resolve("ca.pem")), init.out);
        assertTrue(init.out.contains("wrote CA private key: " + pki().resolve("ca.key") + " (private, owner-only)"),
                init.out);
        assertTrue(init.out.contains("nacgw.test, 127.0.0.1"), init.out);

        Run ise = issue("ise1", "partner");
        assertTrue(ise.out.contains("issued partner certificate 'ise1'"), ise.out);
        assertTrue(ise.out.contains(pki().resolve("clients/ise1/ise1.p12").toString()), ise.out);
        String iseSerial = serialOf(ise);
        Run op = issue("alice", "admin");
        String opSerial = serialOf(op);

        Run list = ok("certs", "list", "--pki", pki().toString());
        assertTrue(list.out.startsWith("SERIAL"), list.out);
        String iseLine = lineWith(list.out, iseSerial);
        assertTrue(iseLine.matches(iseSerial + " +client +ise1 +partner +\\S+ +valid"), iseLine);
        assertTrue(lineWith(list.out, opSerial).contains("admin"), list.out);
        assertTrue(lineWith(list.out, "server").contains("nacgw.test"), list.out);
        assertTrue(list.out.contains("3 certificates"), list.out);

        Run byName = ok("certs", "revoke", "--pki", pki().toString(), "--name", "ise1");
        assertTrue(byName.out.contains("revoked partner certificate 'ise1' serial " + iseSerial), byName.out);
        assertTrue(byName.out.contains("refreshed the CRL: 1 revoked"), byName.out);
        assertTrue(byName.out.contains(pki().resolve("crl.pem").toString()), byName.out);
        Run bySerial = ok("certs", "revoke", "--pki", pki().toString(), "--serial", opSerial.toLowerCase());
        assertTrue(bySerial.out.contains("refreshed the CRL: 2 revoked"), bySerial.out);

        list = ok("certs", "list", "--pki", pki().toString());
        assertTrue(lineWith(list.out, iseSerial).contains(" revoked "), list.out);
        assertTrue(lineWith(list.out, opSerial).contains(" revoked "), list.out);
        assertTrue(lineWith(list.out, "server").endsWith("valid"), list.out);

        Run again = run("certs", "revoke", "--pki", pki().toString(), "--name", "ise1");
        assertEquals(1, again.status);
        assertTrue(again.err.startsWith("nacgw: ") && again.err.contains("already revoked"), again.err);
        assertFalse(again.err.contains("\tat "), "no stack trace: " + again.err);

        Run crl = ok("certs", "crl", "--pki", pki().toString());
        assertTrue(crl.out.contains("2 revoked"), crl.out);
        assertTrue(crl.out.contains("wrote CRL"), crl.out);
    }

    @Test
    void init_onDataDir_byDefault() {
        Path data = dir.resolve("data");
        Run init = ok("certs", "init", "--data-dir", data.toString());
        assertTrue(init.out.contains("localhost, 127.0.0.1, ::1"), init.out);
        assertTrue(Files.exists(data.resolve("pki/ca.pem")));
        assertTrue(Files.exists(data.resolve("pki/server.pem")));
        assertFalse(Files.exists(data.resolve("nacgw.yaml")), "certs commands write no config");
        Run list = ok("certs", "list", "--data-dir", data.toString());
        assertTrue(list.out.contains("1 certificate in " + data.resolve("pki/index.tsv")), list.out);
    }

    @Test
    void initTwice_refuses_forceReplaces() throws Exception {
        assertEquals(0, init().status);
        String ca = Files.readString(pki().resolve("ca.pem"));
        Run second = init();
        assertEquals(1, second.status);
        assertTrue(second.err.contains("a CA already exists in " + pki()), second.err);
        assertTrue(second.err.contains("--force"), second.err);
        assertFalse(second.err.contains("\tat "), "no stack trace: " + second.err);
        assertEquals(ca, Files.readString(pki().resolve("ca.pem")));

        Run forced = init("--force", "--key-type", "rsa-3072");
        assertEquals(0, forced.status, forced.err);
        assertTrue(forced.out.contains("created rsa-3072 CA"), forced.out);
        assertTrue(forced.out.contains("previous CA's index (archived)"), forced.out);
        assertNotEquals(ca, Files.readString(pki().resolve("ca.pem")));
    }

    @Test
    void issue_passwordFromFile_opensPkcs12() throws Exception {
        assertEquals(0, init().status);
        issue("ise1", "partner");
        KeyStore ks = loadPkcs12(pki().resolve("clients/ise1/ise1.p12"), FILE_PASSWORD);
        assertTrue(ks.isKeyEntry("ise1"));

        Path shared = dir.resolve("shared.pass");
        Files.writeString(shared, "shared-secret-Hd2\r\nsecond line is ignored\n");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
        Run r = ok("certs", "issue", "--pki", pki().toString(), "--name", "ise2", "--role", "partner",
                "--password-file", shared.toString());
        assertTrue(r.err.contains("warning: password file " + shared + " is readable by other users"), r.err);
        assertTrue(loadPkcs12(pki().resolve("clients/ise2/ise2.p12"), "shared-secret-Hd2").isKeyEntry("ise2"));
        assertNoPasswordPrinted(FILE_PASSWORD);
        assertNoPasswordPrinted("shared-secret-Hd2");
    }

    @Test
    void issue_passwordFromEnvironment_opensPkcs12() throws Exception {
        String password = System.getenv(PASSWORD_ENV);
        assertNotNull(password, PASSWORD_ENV + " is set by surefire in gateway/pom.xml");
        assertEquals(0, init().status);
        Path out = dir.resolve("out");
        Run r = ok("certs", "issue", "--pki", pki().toString(), "--name", "ops.admin", "--role", "ADMIN", "--days", "30",
                "--out", out.toString(), "--password-env", PASSWORD_ENV);
        assertTrue(r.out.contains(out.resolve("ops.admin.p12").toString()), r.out);
        KeyStore ks = loadPkcs12(out.resolve("ops.admin.p12"), password);
        assertEquals(2, ks.getCertificateChain("ops.admin").length);
        assertNoPasswordPrinted(password);
    }

    @Test
    void issue_noPasswordSourceAndNoConsole_exits2() {
        Needs.that(System.console() == null, "no terminal attached to the test JVM (with one, the prompt is used)");
        assertEquals(0, init().status);
        Run r = run("certs", "issue", "--pki", pki().toString(), "--name", "ise1", "--role", "partner");
        assertEquals(2, r.status, r.out + r.err);
        assertTrue(r.err.contains("nacgw: no terminal to ask for the PKCS#12 password"), r.err);
        assertTrue(r.err.contains("--password-file") && r.err.contains("--password-env"), r.err);
        assertFalse(Files.exists(pki().resolve("clients/ise1")), "nothing issued");
    }

    @Test
    void issue_promptsTwiceOnTerminal_andRefusesDifferentAnswers() throws Exception {
        Path script = Needs.executable("bsdutils", "/usr/bin/script"); // runs the command on a pseudo-terminal
        assertEquals(0, init().status);
        String password = "tty-secret-Wm5";
        ProcessResult same = onTerminal(script, password + "\n" + password + "\n", "certs", "issue", "--pki",
                pki().toString(), "--name", "ops1", "--role", "admin");
        assertEquals(0, same.exit, same.out);
        assertTrue(same.out.contains("PKCS#12 password for ops1:") && same.out.contains("Repeat the password:"), same.out);
        // the terminal echoes what the test typed before the prompt turned echo off; nacgw's own output follows it
        String afterPrompt = same.out.substring(same.out.indexOf("PKCS#12 password for"));
        assertFalse(afterPrompt.contains(password), afterPrompt);
        assertTrue(loadPkcs12(pki().resolve("clients/ops1/ops1.p12"), password).isKeyEntry("ops1"));

        ProcessResult differ = onTerminal(script, password + "\nsomething-else\n", "certs", "issue", "--pki",
                pki().toString(), "--name", "ops2", "--role", "admin");
        assertEquals(2, differ.exit, differ.out);
        assertTrue(differ.out.contains("nacgw: the two passwords differ; nothing issued"), differ.out);
        assertFalse(Files.exists(pki().resolve("clients/ops2")));
    }

    /** Runs nacgw in a new JVM on a pseudo-terminal, typing {@code input}; returns the terminal's transcript. */
    private static ProcessResult onTerminal(Path script, String input, String... args) throws Exception {
        StringBuilder cmd = new StringBuilder();
        for (String a : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName())) {
            cmd.append(quote(a)).append(' ');
        }
        for (String a : args) {
            cmd.append(quote(a)).append(' ');
        }
        Process p = new ProcessBuilder(script.toString(), "-qec", cmd.toString(), "/dev/null")
                .redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nacgw on a terminal did not finish");
        return new ProcessResult(p.exitValue(), out);
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    @Test
    void issue_badInput_clearErrors() throws Exception {
        String pkiDir = pki().toString();
        Run noCa = run("certs", "issue", "--pki", pkiDir, "--name", "ise1", "--role", "partner",
                "--password-file", passwordFile().toString());
        assertEquals(1, noCa.status);
        assertTrue(noCa.err.contains("no CA in " + pki() + "; create one with: nacgw certs init"), noCa.err);
        assertEquals(0, init().status);
        Run role = run("certs", "issue", "--pki", pkiDir, "--name", "ise1", "--role", "wizard",
                "--password-file", passwordFile().toString());
        assertEquals(2, role.status);
        assertTrue(role.err.contains("unknown role 'wizard'"), role.err);
        Run both = run("certs", "issue", "--pki", pkiDir, "--name", "ise1", "--role", "partner",
                "--password-file", passwordFile().toString(), "--password-env", PASSWORD_ENV);
        assertEquals(2, both.status);
        assertTrue(both.err.contains("mutually exclusive"), both.err);
        Run unset = run("certs", "issue", "--pki", pkiDir, "--name", "ise1", "--role", "partner",
                "--password-env", "NACGW_TEST_SURELY_UNSET_VARIABLE");
        assertEquals(2, unset.status);
        assertTrue(unset.err.contains("NACGW_TEST_SURELY_UNSET_VARIABLE is not set"), unset.err);
        Run missingFile = run("certs", "issue", "--pki", pkiDir, "--name", "ise1", "--role", "partner",
                "--password-file", dir.resolve("nope").toString());
        assertEquals(2, missingFile.status);
        assertTrue(missingFile.err.contains("password file"), missingFile.err);
        issue("ise1", "partner");
        Run twice = run("certs", "issue", "--pki", pkiDir, "--name", "ise1", "--role", "partner",
                "--password-file", passwordFile().toString());
        assertEquals(1, twice.status);
        assertTrue(twice.err.contains("already exists"), twice.err);
        Run revokeNothing = run("certs", "revoke", "--pki", pkiDir);
        assertEquals(2, revokeNothing.status);
        Run revokeUnknown = run("certs", "revoke", "--pki", pkiDir, "--name", "nobody");
        assertEquals(1, revokeUnknown.status);
        assertTrue(revokeUnknown.err.contains("no certificate with name 'nobody'"), revokeUnknown.err);
        Run badSerial = run("certs", "revoke", "--pki", pkiDir, "--serial", "xyz");
        assertEquals(2, badSerial.status);
        assertTrue(badSerial.err.contains("invalid serial 'xyz'"), badSerial.err);
        Run keyType = init("--force", "--key-type", "dsa");
        assertEquals(2, keyType.status);
        assertTrue(keyType.err.contains("unknown key type 'dsa'"), keyType.err);
        assertNoPasswordPrinted(FILE_PASSWORD);
    }

    @Test
    void inspect_issuedCertificate_showsRoleAndIndexEntry() throws Exception {
        assertEquals(0, init().status);
        issue("ise1", "partner");
        Run r = ok("certs", "inspect", "--pki", pki().toString(), pki().resolve("clients/ise1/ise1.pem").toString());
        assertTrue(r.out.contains("CN=ise1"), r.out);
        assertTrue(Pattern.compile("(?m)^role: +partner$").matcher(r.out).find(), r.out);
        assertTrue(r.out.contains("urn:nacgw:role:partner"), r.out);
        assertTrue(r.out.contains("nacgw index: partner 'ise1', valid"), r.out);
        Run missing = run("certs", "inspect", "--pki", pki().toString(), dir.resolve("nope.pem").toString());
        assertEquals(2, missing.status);
        assertTrue(missing.err.contains("no such file"), missing.err);
    }

    @Test
    void keysAndPkcs12_areOwnerOnly() throws Exception {
        assertEquals(0, init().status);
        issue("ise1", "partner");
        Path client = pki().resolve("clients/ise1");
        for (Path secret : List.of(pki().resolve("ca.key"), pki().resolve("server.key"), client.resolve("ise1.key"),
                client.resolve("ise1.p12"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)),
                    secret.toString());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki())));
    }

    @Test
    void opensslVerify_acceptsIssuedClient_andCrlCheckRefusesItOnceRevoked() throws Exception {
        String openssl = openssl();
        assertEquals(0, init().status);
        issue("ise1", "partner");
        String ca = pki().resolve("ca.pem").toString();
        String client = pki().resolve("clients/ise1/ise1.pem").toString();
        String crl = pki().resolve("crl.pem").toString();
        String verified = exec(openssl, "verify", "-CAfile", ca, client);
        assertTrue(verified.contains(client + ": OK"), verified);
        assertTrue(exec(openssl, "verify", "-purpose", "sslclient", "-crl_check", "-CAfile", ca, "-CRLfile", crl,
                client).contains(": OK"));
        assertTrue(exec(openssl, "verify", "-purpose", "sslserver", "-CAfile", ca,
                pki().resolve("server.pem").toString()).contains(": OK"));

        ok("certs", "revoke", "--pki", pki().toString(), "--name", "ise1");
        ProcessResult revoked = execAllowingFailure(openssl, "verify", "-crl_check", "-CAfile", ca, "-CRLfile", crl,
                client);
        assertNotEquals(0, revoked.exit, revoked.out);
        assertTrue(revoked.out.contains("certificate revoked"), revoked.out);
    }

    private static KeyStore loadPkcs12(Path file, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    private static String openssl() {
        return Needs.executable("openssl", "/usr/bin/openssl").toString();
    }

    private record ProcessResult(int exit, String out) {
    }

    private static String exec(String... command) throws Exception {
        ProcessResult r = execAllowingFailure(command);
        assertEquals(0, r.exit, String.join(" ", command) + "\n" + r.out);
        return r.out;
    }

    private static ProcessResult execAllowingFailure(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl timed out");
        return new ProcessResult(p.exitValue(), out);
    }
}
