package io.nacgw.radius;

import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.session.SessionStore;
import io.nacgw.radius.audit.AuditSink;

import java.time.Clock;
import java.util.Objects;

/**
 * What the RADIUS server works with, owned by the caller (the server closes none of them except the audit sink,
 * which it flushes and closes on {@link RadiusServer#close()}).
 *
 * @param policy      network profiles the NAS clients refer to
 * @param compliance  the in-memory compliance index
 * @param sessions    the accounting session table
 * @param audit       where decision lines go
 * @param clock       time for decisions, audit, session records and cache expiry
 */
public record RadiusServices(AccessPolicy policy, ComplianceService compliance, SessionStore sessions,
                             AuditSink audit, Clock clock) {
    public RadiusServices {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(compliance, "compliance");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(clock, "clock");
    }
}
