/** The load generator's own RADIUS client codec: encode Access-Requests, verify and decode answers. */
package io.nacgw.loadgen.radius;
