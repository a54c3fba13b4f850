package io.nacgw.gateway.cli;

import io.nacgw.core.files.OwnerOnly;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --config} and {@code --data-dir}, shared by every command that opens the gateway's data. */
final class ConfigOptions {
    /** Name of the config file kept in the data directory when no --config is given. */
    public static final String DEFAULT_FILE = "nacgw.yaml";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Config file (YAML). Default: DIR/nacgw.yaml "
            + "in the data directory, written with documented defaults on first run.")
    Path config;

    @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR", description = "Data directory when no --config is given "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "data")
    Path dataDir;

    /** The config file in use: --config, or DIR/nacgw.yaml. */
    public Path configFile() {
        return config != null ? config : dataDir.resolve(DEFAULT_FILE);
    }

    /** Loads the config; without --config, uses (and on first use writes) DIR/nacgw.yaml. */
    public NacgwConfig load(PrintWriter out, boolean writeDefault) {
        Path file = config;
        if (file == null) {
            file = dataDir.resolve(DEFAULT_FILE);
            if (!Files.exists(file)) {
                if (!writeDefault) {
                    return withDataDir(new ConfigLoader().load(null));
                }
                try {
                    OwnerOnly.createDirectories(dataDir);
                    OwnerOnly.createFile(file); // 600 before the secret is written into it
                    Files.writeString(file, ConfigLoader.defaultText().replace("@@GENERATED_SECRET@@", newSecret()));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot write the default config to " + file + ": " + e.getMessage(), e);
                }
                out.println("wrote default config to " + file.toAbsolutePath());
            }
        } else if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        }
        return new ConfigLoader().load(file);
    }

    /** A random RADIUS shared secret (24 base64 characters, 144 bits), as `openssl rand -base64 18` would make. */
    static String newSecret() {
        byte[] b = new byte[18];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.Base64.getEncoder().encodeToString(b);
    }

    /** The config holds shared secrets: owner-only, where the file system supports it. */
    private NacgwConfig withDataDir(NacgwConfig c) {
        return c.withDataDir(dataDir.toAbsolutePath().normalize());
    }
}
