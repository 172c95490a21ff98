package dev.switchboard.proxy.config;

import java.util.Locale;

/**
 * Performance knobs that are not Traefik options, read once from Java system properties
 * ({@code java -Dswitchboard.forwarder.nonBlocking=false -jar ...}). The defaults are what the
 * benchmark measured best (bench/run.sh); docs/reference/performance.md has the figures, what each
 * knob trades, and when to change it.
 */
public final class Tuning {

    /**
     * The forwarding client's response callbacks (headers, body chunks, completion) run on the
     * client's selector thread instead of being handed to a pool thread. They only copy to the
     * client connection with asynchronous writes, so nothing blocks; the hand-off they save cost
     * more than the proxying itself on a small machine (docs/reference/performance.md: futex and
     * epoll_ctl calls per request). Off: Jetty's default, every response event goes through the pool.
     */
    public static final boolean FORWARDER_NON_BLOCKING = flag("switchboard.forwarder.nonBlocking", true);

    /**
     * The forwarding client uses the server's thread pool instead of a pool of its own: one set of
     * threads (fewer, warmer, less memory) for both legs of a proxied exchange. The health-check
     * client keeps its own pool, so probes never wait behind traffic.
     */
    public static final boolean FORWARDER_SHARED_EXECUTOR = flag("switchboard.forwarder.sharedExecutor", true);

    /**
     * Selector threads of the forwarding client. With non-blocking callbacks a selector thread
     * relays the responses of its connections itself, so larger machines need more than Jetty's
     * single one: by default one per two CPUs, at most four (what Jetty gives its server connectors).
     */
    public static final int FORWARDER_SELECTORS = number("switchboard.forwarder.selectors",
            Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2)));

    /**
     * While no router can block ({@code RouterTable.nonBlocking()}), the whole exchange runs without a thread hand-off:
     * requests are handled on the server's selector thread (the server's invocation type is
     * non-blocking), and after a proxied response completes, the connection reads its next request
     * on the thread that relayed the response instead of dispatching itself to the pool (Jetty's
     * HTTP/1.1 connection does that after every asynchronous response: a thread woken and parked per
     * request). A configuration with a router that can block gets Jetty's default dispatch: which
     * middlewares may block each declares where it is registered ({@code MiddlewareFactory}), which
     * services may block each service handler says ({@code ServiceHandler.mayBlock()}).
     * Off: Jetty's default always.
     */
    public static final boolean SERVER_NON_BLOCKING = flag("switchboard.server.nonBlocking", true);

    /**
     * Bytes the forwarding client reads from a server connection at once (Jetty's
     * {@code HttpClient.responseBufferSize}): 64 KiB, where Jetty's default is 16 KiB. A larger buffer relays a
     * large body in fewer reads and fewer writes to the client.
     */
    public static final int FORWARDER_RESPONSE_BUFFER = number("switchboard.forwarder.responseBufferSize", 65536);

    private Tuning() {
    }

    static boolean flag(String name, boolean fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("-D" + name + "=" + value + ": use true or false");
        };
    }

    static int number(String name, int fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + "=" + value + ": use a whole number of 1 or more", e);
        }
    }
}
