/**
 * Load testing: deterministic synthetic devices whose expected verdicts are known, and the load generators that
 * drive a gateway (ours or another server) with them.
 */
package io.nacgw.gateway.loadtest;
