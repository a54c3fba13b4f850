/**
 * The RADIUS server as the gateway starts it: {@link io.nacgw.radius.bootstrap.RadiusServer} binds the UDP ports,
 * builds the request path ({@code server}), the proxy, EAP and the RadSec listener, and owns their lifecycle,
 * reload and stats. The top of the radius packages: nothing else in radius depends on it.
 */
package io.nacgw.radius.bootstrap;
