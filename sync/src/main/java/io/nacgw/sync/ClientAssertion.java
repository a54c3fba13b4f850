package io.nacgw.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The RFC 7523 client assertion: a short-lived RS256 JWT (issuer and subject the client id, audience the token
 * endpoint, a unique {@code jti}) signed with the application's certificate key. A fresh one per token request.
 */
final class ClientAssertion {
    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final long LIFETIME_SECONDS = 300;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private ClientAssertion() {
    }

    static String create(ClientCertificate cert, String clientId, String audience, Instant now, JsonFactory json) {
        String header = json(json, g -> {
            g.writeStringField("alg", "RS256");
            g.writeStringField("typ", "JWT");
            g.writeStringField("x5t", cert.x5t());
        });
        long iat = now.getEpochSecond();
        String claims = json(json, g -> {
            g.writeStringField("aud", audience);
            g.writeStringField("iss", clientId);
            g.writeStringField("sub", clientId);
            g.writeStringField("jti", UUID.randomUUID().toString());
            g.writeNumberField("iat", iat);
            g.writeNumberField("nbf", iat);
            g.writeNumberField("exp", iat + LIFETIME_SECONDS);
        });
        String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(cert.key());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new SyncFailure("cannot sign the client assertion with " + cert + ": " + e.getMessage(), e);
        }
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String json(JsonFactory json, Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
