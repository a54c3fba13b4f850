/**
 * Proxying to upstream RADIUS home servers (NPS, FreeRADIUS, an MFA server): pools of upstreams with failover or
 * round-robin, Status-Server health checks (alive, zombie, dead), the forwarded request (User-Password re-hidden
 * for the upstream's secret, CHAP kept verifiable, Proxy-State added, Message-Authenticator first) and the
 * upstream's verified reply (Proxy-State stripped, MS-MPPE keys re-hidden for the NAS). What nacgw then does with
 * an upstream Access-Accept (the compliance decision) lives in the server package. {@link
 * io.nacgw.radius.proxy.RadSecClient} is one RadSec (TLS) connection to an upstream.
 */
package io.nacgw.radius.proxy;
