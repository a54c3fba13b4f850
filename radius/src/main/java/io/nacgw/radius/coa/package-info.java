/**
 * Change of Authorization (RFC 5176): the client that sends CoA-Request and Disconnect-Request to NASes, with its
 * own bounded queue, per-NAS outstanding and rate limits, retransmission with backoff, reply verification, audit
 * and counters ({@link io.nacgw.radius.coa.CoaSender}); and the trigger that turns committed device changes into
 * CoA for the device's live sessions ({@link io.nacgw.radius.coa.SessionReauthorizer}).
 */
package io.nacgw.radius.coa;
