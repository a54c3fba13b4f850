package io.nacgw.gateway.cli;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.policy.Decision;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.policy.Verdict;
import io.nacgw.gateway.Gateway;
import io.nacgw.loadgen.DeviceClass;
import io.nacgw.loadgen.SyntheticDevices;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** {@code run --demo}: seeds clearly marked synthetic devices once and shows a device for each verdict. */
final class Demo {
    static final int COUNT = 1000;
    static final long SEED = 42;

    private Demo() {
    }

    /** A partner certificate for the demo's curl lines, issued once; returns curl's TLS options. */
    private static String demoPartnerCertificate(Gateway gateway, PrintWriter out) {
        java.nio.file.Path pki = gateway.config().dataDir().resolve("pki");
        io.nacgw.certs.CertificateAuthority ca = io.nacgw.certs.CertificateAuthority.open(pki);
        java.nio.file.Path dir = pki.resolve("clients").resolve("demo-partner");
        java.nio.file.Path cert = dir.resolve("demo-partner.pem");
        java.nio.file.Path key = dir.resolve("demo-partner.key");
        if (!java.nio.file.Files.exists(cert)) {
            // the PKCS#12 copy is not needed for curl: its random password is thrown away
            char[] unused = ConfigOptions.newSecret().toCharArray();
            ca.issueClient("demo-partner", io.nacgw.certs.Role.PARTNER, 30, unused);
            java.util.Arrays.fill(unused, '\0');
            out.println("demo: issued a partner client certificate for curl: " + cert);
        }
        return "--cacert " + ca.layout().caCertificate() + " --cert " + cert + " --key " + key;
    }

    static void seedAndShow(Gateway gateway, java.nio.file.Path configFile, PrintWriter out) {
        SyntheticDevices set = new SyntheticDevices(SEED, COUNT, SyntheticDevices.defaultMix(), "DEMO-", gateway.clock().instant());
        if (gateway.compliance().store().count() == 0) {
            List<DeviceRecord> all = new ArrayList<>(COUNT);
            for (int i = 0; i < COUNT; i++) {
                all.add(set.device(i));
            }
            gateway.compliance().upsertAll(all);
            out.println("demo: seeded " + COUNT + " synthetic devices (names DEMO-0000000...; delete the data directory to remove them)");
        }
        // one example per verdict, across the configured profiles (e.g. quarantine on Wi-Fi, deny on VPN)
        Map<Verdict, String[]> example = new EnumMap<>(Verdict.class);
        long now = gateway.clock().millis();
        for (String name : gateway.policy().names()) {
            Profile profile = gateway.policy().profile(name);
            for (int i = 0; i < COUNT && example.size() < Verdict.values().length; i++) {
                DeviceRecord d = gateway.compliance().findResident(set.primaryMac(i));
                if (d != null && set.classOf(i) != DeviceClass.GRACE) {
                    Decision dec = profile.decide(d, now);
                    example.putIfAbsent(dec.verdict(), new String[]{set.primaryMac(i).toRfc3580(), name,
                            set.classOf(i).wireName()});
                }
            }
        }
        var radius = gateway.radius();
        String curlAuth = gateway.api().isPresent() ? demoPartnerCertificate(gateway, out) : null;
        var local = gateway.config().radius().clients().get("localhost");
        for (Map.Entry<Verdict, String[]> e : example.entrySet()) {
            String mac = e.getValue()[0];
            String profile = e.getValue()[1];
            out.println("demo: " + e.getKey().wireName().toUpperCase(java.util.Locale.ROOT) + " expected for " + mac
                    + " (" + e.getValue()[2] + " device) on profile " + profile);
            if (radius.isPresent() && local != null && local.secrets() != null) {
                String portType = "vpn".equals(profile) ? ", NAS-Port-Type = Virtual" : ", NAS-Port-Type = Ethernet";
                out.println("  echo 'User-Name = \"" + mac + "\", User-Password = \"" + mac + "\", Calling-Station-Id = \""
                        + mac + "\", Service-Type = Call-Check" + portType + ", Message-Authenticator = 0x00' | radclient -x "
                        + "127.0.0.1:" + radius.get().authAddress().getPort() + " auth '" + local.secrets().get(0) + "'");
            }
            if (curlAuth != null) {
                out.println("  curl " + curlAuth + " 'https://127.0.0.1:" + gateway.api().get().address().getPort()
                        + "/api/v1/devices/lookup?mac=" + mac + "&profile=" + profile + "'");
            }
            // explain asks the running gateway through its operations port (offline once it is stopped)
            out.println("  java -jar gateway/target/nacgw.jar devices explain " + mac + " --profile " + profile
                    + " --config " + configFile.toAbsolutePath());
        }
        out.flush();
    }
}
