package dev.switchboard.proxy.rules;

import java.util.List;

/** What a rule can look at in a request. Implementations compute what they can lazily. */
public interface RoutingRequest {

    /** The request host, lower case, without port; empty when the request has none. */
    String host();

    /**
     * The path as Traefik routes on it: the escaped path with percent-encoded characters decoded,
     * except the reserved ones ({@code %2F} stays {@code %2F}).
     */
    String routingPath();

    String method();

    /** Every value of the header, one per header line; empty if absent. */
    List<String> headerValues(String name);

    /** The values of the query parameter, or null when the parameter is absent. */
    List<String> queryValues(String name);

    /** The address of the peer that connected (not X-Forwarded-For), as Traefik's ClientIP uses. */
    String clientIp();
}
