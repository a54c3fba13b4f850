package io.nacgw.radius.eap;

import io.nacgw.core.testing.Needs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs wpa_supplicant's {@code eapol_test} (Debian eapoltest) as the supplicant and NAS against a port. */
public final class Eapol {
    private Eapol() {
    }

    /** What eapol_test printed and how it exited (0: authenticated and, where checked, the MPPE keys matched). */
    public record Run(int exit, String output) {
        public boolean success() {
            return exit == 0 && output.contains("SUCCESS");
        }

        public boolean mppeOk() {
            return output.contains("MPPE keys OK");
        }

        /** Lines like {@code RADIUS message: code=2 ...}: the codes eapol_test received. */
        public long count(String text) {
            return output.lines().filter(l -> l.contains(text)).count();
        }

        @Override
        public String toString() {
            String[] lines = output.split("\n");
            StringBuilder tail = new StringBuilder();
            for (int i = Math.max(0, lines.length - 60); i < lines.length; i++) {
                tail.append(lines[i]).append('\n');
            }
            return "eapol_test exit " + exit + ", last lines:\n" + tail;
        }
    }

    /**
     * Runs one authentication (plus {@code reauths} re-authentications) with the {@code network={…}} body
     * {@code network}, as NAS with Calling-Station-Id {@code mac}; {@code keys}: MS-MPPE keys are expected and
     * checked; extra RADIUS attributes as {@code -N} options ({@code 12:d:300}).
     */
    public static Run run(Path dir, int port, String secret, String mac, String network, int reauths, boolean keys,
                   String... attrs) {
        Path tool = Needs.executable("eapoltest", "/usr/bin/eapol_test");
        try {
            Path conf = Files.createTempFile(dir, "eapol", ".conf");
            Files.writeString(conf, "network={\n" + network + "\n}\n", StandardCharsets.US_ASCII);
            List<String> cmd = new ArrayList<>(List.of(tool.toString(), "-c", conf.toString(), "-a", "127.0.0.1",
                    "-p", Integer.toString(port), "-s", secret, "-M", mac, "-t", "10", "-r", Integer.toString(reauths)));
            if (!keys) {
                cmd.add("-n"); // EAP-MD5 derives no MPPE keys
            }
            for (String a : attrs) {
                cmd.add("-N" + a);
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("eapol_test did not finish");
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * The network block for PEAP with inner EAP-MSCHAPv2 ({@code inner} "MSCHAPV2") or TTLS with inner PAP
     * ({@code inner} "PAP"): the outer identity "anonymous", the server's certificate checked against {@code ca}.
     */
    public static String tunnelled(String method, String inner, String identity, String password, Path ca) {
        return "key_mgmt=IEEE8021X\neap=" + method + "\nidentity=\"" + identity + "\"\nanonymous_identity=\"anonymous\""
                + "\npassword=\"" + password + "\"\nphase2=\"auth=" + inner + "\"\nca_cert=\"" + ca + "\"\neapol_flags=0";
    }

    /** The network block for EAP-MD5 MAB: identity and password are the MAC. */
    static String md5(String identity, String password) {
        return "key_mgmt=IEEE8021X\neap=MD5\nidentity=\"" + identity + "\"\npassword=\"" + password + "\"\neapol_flags=0";
    }

    /** The network block for EAP-TLS with TLS 1.2 or 1.3 only. */
    static String tls(TestPki pki, TestPki.Issued device, boolean tls13, int fragmentSize) {
        String phase1 = tls13
                ? "tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=1 tls_disable_tlsv1_3=0"
                : "tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_3=1";
        return "key_mgmt=IEEE8021X\neap=TLS\nidentity=\"host/" + device.cert().getSubjectX500Principal().getName()
                .replace("CN=", "") + "\"\nca_cert=\"" + pki.serverCaFile + "\"\nclient_cert=\"" + device.certFile()
                + "\"\nprivate_key=\"" + device.keyFile() + "\"\nphase1=\"" + phase1 + "\"\nfragment_size="
                + fragmentSize + "\neapol_flags=0";
    }
}
