package io.nacgw.nacapi.ise;

import io.nacgw.nacapi.ApiException;
import io.nacgw.nacapi.ApiRequest;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.HttpData;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a {@code multipart/form-data} body, the form IBM MaaS360 documents for ISE's action calls. Decoded in
 * memory: the aggregated body is already bounded by {@code api.maxBodyBytes}.
 */
final class MultipartForm {
    /** One part: its form name and content (a file upload's bytes or a field's value). */
    record Part(String name, byte[] content) {
    }

    private MultipartForm() {
    }

    static boolean is(ApiRequest r) {
        return r.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /**
     * Every part, in body order.
     * @throws ApiException 400 when the body is not valid multipart/form-data or holds more than {@code maxParts}
     */
    static List<Part> parts(ApiRequest r, int maxParts) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                r.body().retainedDuplicate(), r.headers(), EmptyHttpHeaders.INSTANCE);
        HttpPostMultipartRequestDecoder decoder = null;
        try {
            decoder = new HttpPostMultipartRequestDecoder(new DefaultHttpDataFactory(false), req, StandardCharsets.UTF_8);
            List<Part> out = new ArrayList<>();
            for (InterfaceHttpData d : decoder.getBodyHttpDatas()) {
                if (d instanceof HttpData) {
                    if (out.size() >= maxParts) {
                        throw ApiException.badRequest("the form holds more than " + maxParts + " parts");
                    }
                    out.add(new Part(d.getName(), ((HttpData) d).get()));
                }
            }
            return out;
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException | IOException | IllegalArgumentException e) {
            throw ApiException.badRequest("the body is not valid multipart/form-data");
        } finally {
            if (decoder != null) {
                decoder.destroy();
            }
            req.release();
        }
    }
}
