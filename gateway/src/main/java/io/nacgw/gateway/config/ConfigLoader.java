package io.nacgw.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Loads {@link NacgwConfig}: the YAML file (or the built-in default), then {@code NACGW_SECTION_KEY} environment
 * variables, then {@code -Dnacgw.section.key=value} system properties, each overriding the one before. Unknown keys,
 * wrong types and out-of-range values fail with a {@link ConfigException} naming the key.
 */
public final class ConfigLoader {
    /** The configuration used when none is given; also written to the data directory on first start. */
    public static final String DEFAULT_RESOURCE = "/io/nacgw/gateway/default-config.yaml";
    private static final String ENV_PREFIX = "NACGW_";
    private static final String PROP_PREFIX = "nacgw.";

    private final ObjectMapper yaml;

    public ConfigLoader() {
        SimpleModule durations = new SimpleModule("durations");
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String text = p.getValueAsString();
                try {
                    return Durations.parse(text == null ? p.getText() : text);
                } catch (IllegalArgumentException e) {
                    throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
                }
            }
        });
        yaml = new ObjectMapper(new YAMLFactory()).registerModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                // a second `localhost:` client block must not silently replace the first
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Loads {@code file} (null: the built-in default) with overrides from the real environment and properties. */
    public NacgwConfig load(Path file) {
        return load(file, System.getenv(), System.getProperties());
    }

    /** Loads with explicit override sources (tests). */
    public NacgwConfig load(Path file, Map<String, String> env, Properties props) {
        ObjectNode tree = file == null ? readDefault() : readFile(file);
        Map<String, String> overrides = new java.util.LinkedHashMap<>();
        applyEnv(tree, env, overrides);
        applyProps(tree, props, overrides);
        NacgwConfig cfg = bind(tree, file == null ? "default config" : file.toString(), overrides);
        if (file != null && !cfg.dataDir().isAbsolute()) {
            Path base = file.toAbsolutePath().getParent();
            cfg = cfg.withDataDir(base.resolve(cfg.dataDir()).normalize());
        }
        validate(cfg, file == null ? "default config" : file.toString(), overrides);
        return cfg;
    }

    /** Checks what binding alone cannot: every profile builds and the parts agree with each other. */
    private static void validate(NacgwConfig cfg, String file, Map<String, String> overrides) {
        try {
            var policy = cfg.policy().toAccessPolicy();
            IpLiterals.require("radius.bindAddress", cfg.radius().bindAddress());
            IpLiterals.require("api.host", cfg.api().host());
            IpLiterals.require("metrics.host", cfg.metrics().host());
            if (cfg.radius().enabled()) {
                cfg.radius().settings(cfg.audit().queueSize());
                io.nacgw.radius.NasRegistry.of(cfg.radius().nasClients(policy)); // also: two clients, one network or certificate name
                cfg.radius().proxySettings(cfg.policy(), cfg.dataDir());
                io.nacgw.certs.PkiLayout pki = new io.nacgw.certs.PkiLayout(cfg.dataDir().resolve("pki"));
                cfg.radius().eap().settings(cfg.dataDir(), pki.serverCertificate(), pki.serverKey());
                cfg.radius().coa().settings();
                cfg.radius().coa().shared().settings();
                IpLiterals.require("radius.radsec.bindAddress", cfg.radius().radsec().bindAddress());
                cfg.radius().radsec().settings(cfg.radius().bindAddress());
            }
            if (cfg.sync().enabled()) {
                cfg.sync().settings();
            }
            if (cfg.api().enabled()) {
                cfg.api().settings();
                cfg.api().auth(policy, io.nacgw.nacapi.auth.ClientIdentityResolver.NONE);
                cfg.ise().settings(IseConfig.redirectFallback(policy), "0");
            }
            if (cfg.metrics().enabled()) {
                cfg.metrics().settings();
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(sourceOfMessage(file, overrides, e.getMessage()) + ": " + e.getMessage(), e);
        }
    }

    /** The override that set a key the message names (its longest match), else the file. */
    private static String sourceOfMessage(String file, Map<String, String> overrides, String message) {
        String msg = String.valueOf(message);
        return overrides.keySet().stream().filter(msg::contains).max(java.util.Comparator.comparingInt(String::length))
                .map(overrides::get).orElse(file);
    }

    /** The default configuration text, as shipped. */
    public static String defaultText() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("default config missing from the jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("default config missing from the jar", e);
        }
    }

    private ObjectNode readDefault() {
        return parse(defaultText(), "default config");
    }

    private ObjectNode readFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    private ObjectNode parse(String text, String source) {
        try {
            JsonNode n = yaml.readTree(text);
            if (n == null || n.isMissingNode() || n.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!n.isObject()) {
                throw new ConfigException(source + ": the top level must be a mapping of sections");
            }
            return (ObjectNode) n;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr();
            String msg = e.getOriginalMessage();
            if (msg != null && msg.startsWith("Duplicate field")) {
                throw new ConfigException(source + where + ": key " + msg.substring("Duplicate field ".length())
                        + " appears twice in the same section; keep one", e);
            }
            throw new ConfigException(source + where + ": not valid YAML: " + msg, e);
        }
    }

    /**
     * Binds the tree; an error in a value that came from an environment variable or a system property names that
     * variable or property, not the file (which does not contain the bad value).
     */
    private NacgwConfig bind(ObjectNode tree, String file, Map<String, String> overrides) {
        try {
            return yaml.treeToValue(tree, NacgwConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known here: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            throw new ConfigException(source(file, overrides, path(e)) + ": unknown key '" + path(e) + "'" + known, e);
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException(sourceOfMessage(file, overrides, c.getMessage()) + ": " + c.getMessage(), e);
        } catch (InvalidFormatException e) {
            throw new ConfigException(source(file, overrides, path(e)) + ": key '" + path(e) + "': "
                    + e.getOriginalMessage(), e);
        } catch (MismatchedInputException e) {
            throw new ConfigException(source(file, overrides, path(e)) + ": key '" + path(e)
                    + "' has the wrong type (expected "
                    + (e.getTargetType() == null ? "another type" : simpleType(e.getTargetType())) + ")", e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String source(String file, Map<String, String> overrides, String keyPath) {
        String origin = overrides.get(keyPath);
        return origin != null ? origin : file;
    }

    private static String simpleType(Class<?> c) {
        if (c == Integer.class || c == int.class || c == Long.class) {
            return "a whole number";
        }
        if (c == Boolean.class || c == boolean.class) {
            return "true or false";
        }
        if (c == String.class) {
            return "text";
        }
        if (List.class.isAssignableFrom(c)) {
            return "a list";
        }
        return "a " + (c.isRecord() || Map.class.isAssignableFrom(c) ? "mapping" : c.getSimpleName());
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static void applyEnv(ObjectNode tree, Map<String, String> env, Map<String, String> overrides) {
        List<String> known = new ArrayList<>();
        leafPaths(NacgwConfig.class, "", known);
        for (String path : known) {
            String name = ENV_PREFIX + path.replace('.', '_').toUpperCase(Locale.ROOT);
            String v = env.get(name);
            if (v != null) {
                set(tree, path, v);
                overrides.put(path, "environment variable " + name);
            }
        }
    }

    private static void applyProps(ObjectNode tree, Properties props, Map<String, String> overrides) {
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(PROP_PREFIX) && name.length() > PROP_PREFIX.length()) {
                String path = name.substring(PROP_PREFIX.length());
                set(tree, path, props.getProperty(name));
                overrides.put(path, "system property -D" + name);
            }
        }
    }

    /** The dotted paths of scalar keys in fixed (record) sections; map-valued sections take -D overrides only. */
    private static void leafPaths(Class<?> type, String prefix, List<String> out) {
        for (RecordComponent rc : type.getRecordComponents()) {
            String p = prefix + rc.getName();
            Class<?> t = rc.getType();
            if (t.isRecord()) {
                leafPaths(t, p + ".", out);
            } else if (!Map.class.isAssignableFrom(t)) {
                out.add(p);
            }
        }
    }

    private static void set(ObjectNode tree, String dotted, String value) {
        String[] parts = dotted.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        String last = parts[parts.length - 1];
        if (value.contains(",") && node.get(last) != null && node.get(last).isArray()) {
            var arr = node.putArray(last);
            for (String s : value.split(",")) {
                arr.add(s.strip());
            }
        } else {
            node.put(last, value);
        }
    }

}
