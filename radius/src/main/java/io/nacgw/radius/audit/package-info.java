/**
 * The decision audit log: one JSON line per RADIUS decision, written off the hot path by a bounded asynchronous
 * writer to an {@link io.nacgw.radius.audit.AuditSink} the gateway chooses (a file, usually).
 */
package io.nacgw.radius.audit;
