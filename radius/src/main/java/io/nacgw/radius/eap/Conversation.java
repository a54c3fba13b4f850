package io.nacgw.radius.eap;

import io.nacgw.core.id.MacAddress;
import io.nacgw.radius.codec.RadiusRequest;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One EAP conversation between a supplicant (through one NAS) and nacgw, found again by its RADIUS State. It
 * remembers which NAS it belongs to (State from another NAS is refused), the identifier of the last EAP request
 * sent (a response must echo it), the method agreed on and that method's state. One step at a time: {@link #busy}
 * keeps a second request for the same conversation from running alongside.
 */
final class Conversation {
    final byte[] state;
    final String clientName;
    final InetAddress nas;
    final String identity;
    final MacAddress identityMac;
    final AtomicBoolean busy = new AtomicBoolean();
    int method;
    int lastId;
    boolean methodStarted;
    byte[] md5Challenge;
    TlsConversation tls;
    /** The OCSP status of the client certificate, asked for as soon as the certificate arrived. */
    java.util.concurrent.CompletableFuture<OcspChecker.Status> ocsp;

    Conversation(byte[] state, RadiusRequest r, String identity, MacAddress identityMac) {
        this.state = state;
        this.clientName = r.client().name();
        this.nas = r.sender().getAddress();
        this.identity = identity;
        this.identityMac = identityMac;
    }

    /** True when {@code r} comes from the NAS client and address this conversation started with. */
    boolean belongsTo(RadiusRequest r) {
        return clientName.equals(r.client().name()) && nas.equals(r.sender().getAddress());
    }

    /** The identifier for the next request, remembered as the one the response must echo. */
    int nextId() {
        lastId = (lastId + 1) & 0xFF;
        return lastId;
    }

    void close() {
        if (tls != null) {
            tls.close();
        }
        if (md5Challenge != null) {
            java.util.Arrays.fill(md5Challenge, (byte) 0);
        }
    }
}
