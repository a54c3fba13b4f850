package io.nacgw.radius.codec;

import java.util.List;
import java.util.Objects;

/**
 * A reply to {@code request}: code and attributes in order. The codec adds Message-Authenticator first (for
 * replies to Access-Request and Status-Server), copies the request's Proxy-State attributes last, and signs.
 */
public record RadiusResponse(RadiusRequest request, int code, List<Attribute> attributes) {
    public RadiusResponse {
        Objects.requireNonNull(request, "request");
        attributes = List.copyOf(attributes);
    }

    /** True when the codec puts Message-Authenticator first (RFC 3579; BlastRADIUS hardening). */
    public boolean signedWithMessageAuthenticator() {
        return request.code() == RadiusCode.ACCESS_REQUEST || request.code() == RadiusCode.STATUS_SERVER;
    }
}
