package io.nacgw.radius.audit;

/** One line of the audit log: a RADIUS decision or a CoA/Disconnect sent to a NAS. */
public sealed interface AuditRecord permits AuditEvent, CoaAuditEvent {

    /** The record as one JSON object on one line. */
    String toJson();
}
