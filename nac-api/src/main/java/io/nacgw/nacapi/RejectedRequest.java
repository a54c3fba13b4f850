package io.nacgw.nacapi;

/**
 * A request refused before it reached a route (authentication, framing): travels down the pipeline so the router
 * answers it in order with any earlier pipelined request.
 */
public record RejectedRequest(String path, boolean keepAlive, ApiException error) {
}
