package dev.switchboard.proxy.http;

import java.time.Instant;
import org.eclipse.jetty.server.Request;

/**
 * What the proxy learns about one request on its way through the pipeline: the entry point, the
 * router that matched, the service and server that answered, retries. Kept as one request
 * attribute; the access log and metrics read it when the exchange completes.
 */
public final class RequestContext {
    private static final String ATTRIBUTE = RequestContext.class.getName();

    private final String entryPoint;
    private final long startNanos;
    private final Instant start;
    private final long requestCount;
    private volatile String routerName;
    private volatile String serviceName;
    private volatile long serviceStartNanos;
    private volatile String serverUrl;
    private volatile String clientUsername;
    private volatile int retryAttempts;
    private volatile int originStatus;
    private volatile long originNanos;

    RequestContext(String entryPoint, long startNanos, Instant start, long requestCount) {
        this.entryPoint = entryPoint;
        this.startNanos = startNanos;
        this.start = start;
        this.requestCount = requestCount;
    }

    /** Attaches a new context to {@code request} as it enters entry point {@code entryPoint}. */
    public static RequestContext attach(Request request, String entryPoint, long requestCount) {
        RequestContext ctx = new RequestContext(entryPoint, request.getBeginNanoTime(),
                Instant.ofEpochMilli(Request.getTimeStamp(request)), requestCount);
        request.setAttribute(ATTRIBUTE, ctx);
        return ctx;
    }

    /** The context of a request, or null for a request that did not come through an entry point. */
    public static RequestContext of(Request request) {
        return (RequestContext) request.getAttribute(ATTRIBUTE);
    }

    public String entryPoint() {
        return entryPoint;
    }

    public long startNanos() {
        return startNanos;
    }

    public Instant start() {
        return start;
    }

    public long requestCount() {
        return requestCount;
    }

    public String routerName() {
        return routerName;
    }

    public void routerName(String name) {
        this.routerName = name;
    }

    public String serviceName() {
        return serviceName;
    }

    /** The service that takes the request over; also marks when it did, for the service's duration metric. */
    public void serviceName(String name) {
        this.serviceStartNanos = System.nanoTime();
        this.serviceName = name;
    }

    /** When the service took the request over ({@link System#nanoTime()}), or the request's start if none did. */
    public long serviceStartNanos() {
        return serviceName == null ? startNanos : serviceStartNanos;
    }

    public String serverUrl() {
        return serverUrl;
    }

    public void serverUrl(String url) {
        this.serverUrl = url;
    }

    public String clientUsername() {
        return clientUsername;
    }

    public void clientUsername(String user) {
        this.clientUsername = user;
    }

    public int retryAttempts() {
        return retryAttempts;
    }

    public void retried() {
        retryAttempts++;
    }

    public int originStatus() {
        return originStatus;
    }

    public long originNanos() {
        return originNanos;
    }

    public void origin(int status, long nanos) {
        this.originStatus = status;
        this.originNanos = nanos;
    }
}
