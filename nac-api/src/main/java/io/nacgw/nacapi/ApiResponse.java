package io.nacgw.nacapi;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;

import java.util.Map;

/**
 * A complete answer: status, content type and a body the response owns (released once written or dropped).
 */
public record ApiResponse(int status, String contentType, ByteBuf body, Map<String, String> headers) {
    public static final String XML = "application/xml; charset=utf-8";
    public static final String JSON = "application/json";
    static final String PROBLEM = "application/problem+json";

    public static ApiResponse of(int status, String contentType, ByteBuf body) {
        return new ApiResponse(status, contentType, body, Map.of());
    }

    void release() {
        ReferenceCountUtil.safeRelease(body);
    }
}
