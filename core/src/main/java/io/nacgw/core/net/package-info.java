/**
 * Address and socket facts shared by the servers and the load generator: dual-stack binding with an IPv4 fallback,
 * and the kernel's receive-buffer drops of UDP ports.
 */
package io.nacgw.core.net;
