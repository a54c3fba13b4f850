/** Address choices shared by the servers (RADIUS, HTTPS): dual-stack binding with an IPv4 fallback. */
package io.nacgw.core.net;
