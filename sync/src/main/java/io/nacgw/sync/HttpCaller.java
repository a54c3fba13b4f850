package io.nacgw.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Sends a request with the retry policy: connection errors, timeouts, 408/429/5xx are retried (429/503 after
 * {@code Retry-After}), up to {@code sync.maxAttempts}; anything else goes to the caller's handler. The JDK
 * client's own timeout covers only the wait for the response headers, so a watchdog closes a body not read
 * completely within {@code sync.requestTimeout} either; the blocked read then fails and the attempt is retried.
 */
final class HttpCaller {
    private static final Logger log = LoggerFactory.getLogger(HttpCaller.class);
    private static final int ERROR_BODY_LIMIT = 4096;

    /** Reads a response that is not to be retried; may throw {@link SyncFailure}, or IOException to retry. */
    @FunctionalInterface
    interface Handler<T> {
        T handle(HttpResponse<InputStream> response, InputStream body) throws IOException;
    }

    private final HttpClient http;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Duration timeout;
    private final ScheduledExecutorService watchdog;
    private final JsonFactory json;
    private final LongAdder retries = new LongAdder();

    HttpCaller(HttpClient http, RetryPolicy retry, Sleeper sleeper, Duration timeout,
               ScheduledExecutorService watchdog, JsonFactory json) {
        this.http = http;
        this.retry = retry;
        this.sleeper = sleeper;
        this.timeout = timeout;
        this.watchdog = watchdog;
        this.json = json;
    }

    /** Retries made so far (for run reports). */
    long retries() {
        return retries.sum();
    }

    <T> T call(String what, Supplier<HttpRequest> request, Handler<T> handler) {
        for (int attempt = 1; ; attempt++) {
            String failure = null;
            Duration wait = null;
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.get(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                response = null;
                failure = what + " timed out after " + timeout.toSeconds() + " s";
            } catch (IOException e) {
                response = null;
                failure = what + " failed: " + describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SyncFailure(what + " interrupted (sync stopped)", e);
            }
            if (response != null) {
                AtomicBoolean expired = new AtomicBoolean();
                InputStream body = response.body();
                ScheduledFuture<?> dog = watchdog.schedule(() -> {
                    expired.set(true);
                    closeQuietly(body);
                }, timeout.toMillis(), TimeUnit.MILLISECONDS);
                try (body) {
                    int status = response.statusCode();
                    if (!RetryPolicy.retryable(status)) {
                        return handler.handle(response, body);
                    }
                    failure = what + " answered HTTP " + status + errorSummary(body);
                    if (status == 429 || status == 503) {
                        wait = retry.retryAfter(response.headers().firstValue("Retry-After").orElse(null));
                    }
                } catch (IOException e) {
                    failure = what + (expired.get() ? ": response body not received within " + timeout.toSeconds()
                            + " s" : ": reading the response failed: " + describe(e));
                } finally {
                    dog.cancel(false);
                }
            }
            if (attempt >= retry.maxAttempts()) {
                throw new SyncFailure(failure + " (gave up after " + attempt + " attempts)");
            }
            if (wait == null) {
                wait = retry.backoff(attempt);
            }
            retries.increment();
            log.warn("{}; retrying in {} ms (attempt {} of {})", failure, wait.toMillis(), attempt + 1,
                    retry.maxAttempts());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SyncFailure(what + " interrupted while waiting to retry (sync stopped)", e);
            }
        }
    }

    /**
     * A short, printable summary of an error body: OAuth2 {@code error}/{@code error_description} or Graph
     * {@code error.code}/{@code error.message}, else the start of the text. Never more than a few hundred chars.
     */
    String errorSummary(InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(ERROR_BODY_LIMIT);
        } catch (IOException e) {
            return "";
        }
        if (bytes.length == 0) {
            return "";
        }
        String code = null;
        String message = null;
        try (JsonParser p = json.createParser(bytes)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    if (name.equals("error") && t == JsonToken.VALUE_STRING) {
                        code = p.getText();
                    } else if (name.equals("error_description") && t == JsonToken.VALUE_STRING) {
                        message = p.getText();
                    } else if (name.equals("error") && t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = p.currentName();
                            JsonToken it = p.nextToken();
                            if (inner.equals("code") && it == JsonToken.VALUE_STRING) {
                                code = p.getText();
                            } else if (inner.equals("message") && it == JsonToken.VALUE_STRING) {
                                message = p.getText();
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: fall through to the raw text
        }
        if (code == null && message == null) {
            return ": " + SyncWarnings.printable(new String(bytes, StandardCharsets.UTF_8).strip());
        }
        return ": " + (code == null ? "" : SyncWarnings.printable(code)) + (code != null && message != null ? " " : "")
                + (message == null ? "" : SyncWarnings.printable(firstLine(message)));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** The URL without its query, for messages: a {@code $skiptoken} is noise. */
    static String shortUrl(URI url) {
        String s = url.toString();
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + SyncWarnings.printable(m) + ")");
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // closing only to unblock a stalled read
        }
    }
}
