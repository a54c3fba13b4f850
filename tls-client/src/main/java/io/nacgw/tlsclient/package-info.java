/**
 * The supplicant side of EAP-TLS as bctls sees it: {@link io.nacgw.tlsclient.DeviceTlsClient}, shared by the load
 * generator and by radius's warm-up, benchmark and tests, so that there is one TLS client set-up, not one per user.
 * Depends on BouncyCastle only (loadgen may not depend on radius, and core knows no BouncyCastle).
 */
package io.nacgw.tlsclient;
