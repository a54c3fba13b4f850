/**
 * Load testing: deterministic synthetic devices whose expected verdicts are known, and the RADIUS load generator
 * (its own small client codec, closed- and open-loop drivers, answer checks, report) that drives nacgw or any other
 * RADIUS server with them. Depends on {@code core} only; never on the {@code radius} module or {@code gateway}.
 */
package io.nacgw.loadgen;
