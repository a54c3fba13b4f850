/**
 * The Cisco ISE MDM API v1-v3 in XML under {@code /ciscoise}: {@link io.nacgw.nacapi.ise.IseApi} (mdminfo, device
 * queries, batch queries, actions), keyset-paged {@link io.nacgw.nacapi.ise.DeviceListing}s, and the request
 * bodies ISE and MaaS360 send ({@link io.nacgw.nacapi.ise.XmlBody}, {@link io.nacgw.nacapi.ise.MultipartForm}).
 * Public: {@link io.nacgw.nacapi.ise.IseSettings}, and what the server and the console call.
 */
package io.nacgw.nacapi.ise;
