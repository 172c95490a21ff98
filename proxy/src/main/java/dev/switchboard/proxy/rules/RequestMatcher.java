package dev.switchboard.proxy.rules;

/** A compiled rule: a predicate over a request. */
@FunctionalInterface
public interface RequestMatcher {
    boolean matches(RoutingRequest request);
}
