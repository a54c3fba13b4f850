package io.nacgw.radius.eap;

import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.radius.codec.Attribute;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one EAP round asks the Access-Request path to answer.
 *
 * @param kind         {@link Kind#CHALLENGE}: Access-Challenge with {@code attributes} (EAP-Message, State);
 *                     {@link Kind#AUTHENTICATED}: decide on {@code identifiers} with the profile, then answer an
 *                     Accept with {@code attributes} (EAP-Success, MS-MPPE keys) or a Reject with
 *                     {@code failureAttributes} (EAP-Failure); {@link Kind#REJECT}: Access-Reject with
 *                     {@code attributes} (EAP-Failure), {@code reason} and {@code message}
 * @param method       {@code eap-tls}, {@code eap-md5} or {@code eap} (before a method was agreed)
 * @param identifiers  device identifiers to look up, in order (certificate ids, then the MAC)
 * @param seen         what the EAP conversation showed, for the audit line (identity, certificate subject …)
 * @param reason       the audit reason code of a rejection
 * @param message      the Reply-Message of a rejection
 */
public record EapResult(Kind kind, List<Attribute> attributes, List<Attribute> failureAttributes, String method,
                        List<DeviceIdentifier> identifiers, Map<String, String> seen, String reason, String message) {
    /** The three answers. */
    public enum Kind { CHALLENGE, AUTHENTICATED, REJECT }

    public EapResult {
        Objects.requireNonNull(kind, "kind");
        attributes = List.copyOf(attributes);
        failureAttributes = List.copyOf(failureAttributes);
        identifiers = List.copyOf(identifiers);
        seen = Map.copyOf(seen);
    }

    static EapResult challenge(String method, List<Attribute> attributes) {
        return new EapResult(Kind.CHALLENGE, attributes, List.of(), method, List.of(), Map.of(), null, null);
    }

    static EapResult reject(String method, int eapId, Map<String, String> seen, String reason, String message) {
        return new EapResult(Kind.REJECT, EapPacket.result(EapPacket.FAILURE, eapId).attributes(), List.of(), method,
                List.of(), seen, reason, message);
    }
}
