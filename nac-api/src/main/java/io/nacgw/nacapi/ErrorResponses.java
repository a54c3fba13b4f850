package io.nacgw.nacapi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;

/**
 * The one place that renders errors: XML {@code <ise_api>} for the Cisco ISE API (its clients only parse XML),
 * RFC 9457 {@code application/problem+json} everywhere else. Never a stack trace.
 */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static ApiResponse render(ByteBufAllocator alloc, String path, ApiException e) {
        return render(alloc, path, e.status(), e.getMessage(), e.headers());
    }

    public static ApiResponse render(ByteBufAllocator alloc, String path, int status, String detail,
                              Map<String, String> headers) {
        ByteBuf buf = alloc.buffer(256);
        try {
            String title = HttpResponseStatus.valueOf(status).reasonPhrase();
            if (Paths.isIse(path)) {
                XmlWriter x = new XmlWriter(buf).declaration();
                x.start("ise_api").element("name", "error")
                        .element("error_code", status)
                        .element("error_message", detail == null ? title : detail);
                String wait = null;
                for (Map.Entry<String, String> h : headers.entrySet()) {
                    if (h.getKey().equalsIgnoreCase("Retry-After")) {
                        wait = h.getValue(); // the v3 in-band back-off hint says the same
                    }
                }
                if (wait != null) {
                    x.element("server_busy_wait_seconds", wait);
                }
                x.end("ise_api");
                return new ApiResponse(status, ApiResponse.XML, buf, headers);
            }
            JsonWriter j = new JsonWriter(buf);
            j.startObject().field("type", "about:blank").field("title", title).field("status", status);
            if (detail != null) {
                j.field("detail", detail);
            }
            j.field("instance", path.length() > 200 ? path.substring(0, 200) : path).endObject();
            return new ApiResponse(status, ApiResponse.PROBLEM, buf, headers);
        } catch (RuntimeException ex) {
            buf.release();
            throw ex;
        }
    }
}
