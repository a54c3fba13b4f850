package io.nacgw.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * OAuth2 client-credentials access token, cached until shortly before it expires ({@value #MARGIN_SECONDS} s, or
 * half its lifetime if that is shorter) and dropped when the API answers 401. The token and the secret are never
 * logged nor put in a message.
 */
final class TokenSource {
    private static final Logger log = LoggerFactory.getLogger(TokenSource.class);
    static final long MARGIN_SECONDS = 60;

    private final SyncSettings settings;
    private final HttpCaller caller;
    private final Clock clock;
    private final JsonFactory json;
    private String token;
    private Instant refreshAt = Instant.MIN;
    private long fetched;

    TokenSource(SyncSettings settings, HttpCaller caller, Clock clock, JsonFactory json) {
        this.settings = settings;
        this.caller = caller;
        this.clock = clock;
        this.json = json;
    }

    /** A valid token, fetching one when none is cached or the cached one is about to expire. */
    synchronized String get() {
        if (token == null || !clock.instant().isBefore(refreshAt)) {
            fetch();
        }
        return token;
    }

    /** Forgets {@code rejected} (the API answered 401 to it) so the next {@link #get()} fetches a new one. */
    synchronized void invalidate(String rejected) {
        if (rejected.equals(token)) {
            token = null;
        }
    }

    /** Tokens fetched so far. */
    synchronized long fetched() {
        return fetched;
    }

    private void fetch() {
        String what = "token request to " + settings.tokenUrl();
        Instant asked = clock.instant();
        // built per attempt: a client assertion is short-lived and must not expire while a retry waits
        Token t = caller.call(what, () -> HttpRequest.newBuilder(settings.tokenUrl())
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(), StandardCharsets.UTF_8)).build(), (resp, body) -> {
            if (resp.statusCode() != 200) {
                throw new SyncFailure("the token endpoint " + settings.tokenUrl() + " refused the client credentials"
                        + " of client " + settings.clientId() + " (HTTP " + resp.statusCode() + ")"
                        + caller.errorSummary(body));
            }
            try {
                return parse(body.readAllBytes());
            } catch (JsonProcessingException e) {
                throw new SyncFailure("the token endpoint " + settings.tokenUrl() + " sent malformed JSON: "
                        + e.getOriginalMessage());
            }
        });
        long lifetime = Math.max(1, t.expiresIn);
        long margin = Math.min(MARGIN_SECONDS, lifetime / 2);
        token = t.accessToken;
        refreshAt = asked.plus(Duration.ofSeconds(lifetime - margin));
        fetched++;
        log.debug("access token obtained for client {}, valid {} s", settings.clientId(), lifetime);
    }

    private String form() {
        StringBuilder f = new StringBuilder("grant_type=client_credentials&client_id=").append(enc(settings.clientId()));
        if (settings.clientCertificate() != null) {
            f.append("&client_assertion_type=").append(enc(ClientAssertion.TYPE)).append("&client_assertion=")
                    .append(ClientAssertion.create(settings.clientCertificate(), settings.clientId(),
                            settings.tokenUrl().toString(), clock.instant(), json));
        } else {
            f.append("&client_secret=").append(enc(settings.clientSecret().reveal()));
        }
        return f.append("&scope=").append(enc(settings.scope())).toString();
    }

    private Token parse(byte[] bytes) throws IOException {
        String access = null;
        String type = null;
        long expires = -1;
        try (JsonParser p = json.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SyncFailure("the token endpoint " + settings.tokenUrl() + " did not answer a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "access_token":
                        access = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        break;
                    case "token_type":
                        type = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        break;
                    case "expires_in": // a number, or a string in Azure AD v1 answers
                        if (t == JsonToken.VALUE_NUMBER_INT) {
                            expires = p.getLongValue();
                        } else if (t == JsonToken.VALUE_STRING && p.getText().matches("\\d{1,9}")) {
                            expires = Long.parseLong(p.getText());
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
        }
        if (access == null || access.isBlank()) {
            throw new SyncFailure("the token endpoint " + settings.tokenUrl() + " answered without an access_token");
        }
        if (type != null && !type.equalsIgnoreCase("bearer")) {
            throw new SyncFailure("the token endpoint " + settings.tokenUrl() + " issued a token of type '"
                    + SyncWarnings.printable(type) + "', expected Bearer");
        }
        if (expires < 0) {
            throw new SyncFailure("the token endpoint " + settings.tokenUrl() + " answered without expires_in");
        }
        return new Token(access, expires);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private record Token(String accessToken, long expiresIn) {
        @Override
        public String toString() {
            return "Token[***, expiresIn=" + expiresIn + "]";
        }
    }
}
