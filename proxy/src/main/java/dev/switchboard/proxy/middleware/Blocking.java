package dev.switchboard.proxy.middleware;

/**
 * Whether a kind of middleware may block the thread that handles a request. Every kind declares
 * it when it is registered in {@link MiddlewareFactory}; while no router of a configuration has a
 * middleware (or service) that may block, requests run on selector threads without hand-offs
 * ({@code switchboard.server.nonBlocking}, docs/reference/performance.md).
 */
public enum Blocking {
    /**
     * Only ever hands the request on, answers it, or delays it by the scheduler; never waits on the
     * calling thread (no body buffering, no hashing of passwords, no other HTTP exchange, no
     * rewriting of the response body).
     */
    NON_BLOCKING,

    /** May wait on the calling thread: such a router switches the server to pool dispatch. */
    MAY_BLOCK
}
