package io.nacgw.radius.eap;

import io.nacgw.radius.DropReason;

/** An EAP round that gets no answer (counted under {@link #reason()}); the NAS retransmits or gives up. */
public final class EapDropException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient DropReason reason;

    EapDropException(DropReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public DropReason reason() {
        return reason;
    }
}
