package io.nacgw.gateway;

import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The nacgw.yaml of an end-to-end test: RADIUS on 127.0.0.1 with ports from the OS, the HTTPS API and the metrics
 * port off, and the profile {@code wifi} (allowed into VLAN 100, non-compliant devices quarantined into VLAN 999)
 * unless a test says otherwise. Each setter adds what that test needs; {@link #yaml()} gives the text.
 */
public final class TestConfig {
    /** The profile most tests decide with. */
    public static final String WIFI = """
                wifi:
                  noncompliant: quarantine
                  allow: {vlan: "100"}
                  quarantine: {vlan: "999"}
            """;

    private String head = "";
    private boolean api;
    private final List<String> users = new ArrayList<>();
    private String metrics = "metrics: {enabled: false}";
    private int authPort;
    private int acctPort;
    private String coa;
    private String radius = "";
    private final List<String> upstreams = new ArrayList<>();
    private final List<String> clients = new ArrayList<>();
    private String profiles = WIFI;

    private TestConfig() {
    }

    /** The defaults above. */
    public static TestConfig gateway() {
        return new TestConfig();
    }

    /** A free TCP port on the loopback address (for the metrics port, which cannot ask for port 0). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A top-level line before the rest, as is (e.g. {@code dataDir: .}, {@code cluster: {nodeName: a}}). */
    public TestConfig line(String yaml) {
        head += yaml + "\n";
        return this;
    }

    /** The HTTPS API on 127.0.0.1, port from the OS (client certificates only, unless users are added). */
    public TestConfig api() {
        this.api = true;
        return this;
    }

    /** The HTTPS API with this user (call again for more). */
    public TestConfig apiUser(String name, String role, String passwordHash) {
        api = true;
        users.add("    - {name: " + name + ", role: " + role + ", passwordHash: \"" + passwordHash + "\"}\n");
        return this;
    }

    /** The metrics and operations port on 127.0.0.1:{@code port}. */
    public TestConfig metricsPort(int port) {
        return metrics("metrics: {host: 127.0.0.1, port: " + port + "}");
    }

    /** The {@code metrics:} line, as is. */
    public TestConfig metrics(String yaml) {
        this.metrics = yaml;
        return this;
    }

    /** RADIUS authentication and accounting ports (0: from the OS). */
    public TestConfig radiusPorts(int auth, int acct) {
        this.authPort = auth;
        this.acctPort = acct;
        return this;
    }

    /** The keys of {@code radius.coa}, as a flow mapping's content (e.g. {@code maxAttempts: 2}). */
    public TestConfig coa(String keys) {
        this.coa = keys;
        return this;
    }

    /** A line of further {@code radius} keys, as is (e.g. {@code radsec: {enabled: true, port: 0}}); empty: none. */
    public TestConfig radius(String yaml) {
        this.radius = yaml;
        return this;
    }

    /**
     * A {@code radius.upstreams} pool {@code pool} with {@code keys} (a flow mapping's content, e.g.
     * {@code statusChecks: false}; empty: none) and {@code servers}, each {@code name: {address: ..., secret: ...}}.
     */
    public TestConfig upstreamPool(String pool, String keys, String... servers) {
        upstreams.add("    " + pool + ": {" + (keys.isEmpty() ? "" : keys + ", ") + "servers: {"
                + String.join(", ", servers) + "}}\n");
        return this;
    }

    /** A RADIUS client {@code name} at {@code address} with one secret; {@code more}: further keys, as is. */
    public TestConfig client(String name, String address, String secret, String... more) {
        StringBuilder sb = new StringBuilder("    ").append(name).append(": {address: ").append(address)
                .append(", secrets: [").append(secret).append(']');
        for (String m : more) {
            sb.append(", ").append(m);
        }
        clients.add(sb.append("}\n").toString());
        return this;
    }

    /** {@code policy.profiles}, indented by four spaces as {@link #WIFI} is. */
    public TestConfig profiles(String yaml) {
        this.profiles = yaml;
        return this;
    }

    /** The file's text. */
    public String yaml() {
        StringBuilder sb = new StringBuilder(head);
        if (!api) {
            sb.append("api: {enabled: false}\n");
        } else {
            sb.append("api:\n  host: 127.0.0.1\n  port: 0\n");
            if (!users.isEmpty()) {
                sb.append("  users:\n");
                users.forEach(sb::append);
            }
        }
        sb.append(metrics).append('\n');
        sb.append("radius:\n  bindAddress: 127.0.0.1\n  authPort: ").append(authPort).append("\n  acctPort: ")
                .append(acctPort).append('\n');
        if (coa != null) {
            sb.append("  coa: {").append(coa).append("}\n");
        }
        if (!radius.isEmpty()) {
            sb.append("  ").append(radius).append('\n');
        }
        if (!upstreams.isEmpty()) {
            sb.append("  upstreams:\n");
            upstreams.forEach(sb::append);
        }
        sb.append("  clients:\n");
        clients.forEach(sb::append);
        return sb.append("policy:\n  profiles:\n").append(profiles).toString();
    }

    /** Writes {@link #yaml()} to {@code file} and loads it (no environment, no system properties). */
    public NacgwConfig load(Path file) throws IOException {
        Files.writeString(file, yaml());
        return new ConfigLoader().load(file, Map.of(), new Properties());
    }
}
