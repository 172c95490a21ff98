package dev.switchboard.proxy.forward;

import dev.switchboard.proxy.config.Tuning;
import dev.switchboard.proxy.config.dynamic.ServersTransport;
import dev.switchboard.proxy.rules.GoUrlPaths;
import dev.switchboard.proxy.http.ConnectorExecutor;
import dev.switchboard.proxy.http.Responses;
import dev.switchboard.proxy.upstream.Failures;
import dev.switchboard.proxy.upstream.RetryableStatus;
import dev.switchboard.proxy.upstream.ServerState;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of the pipeline: sends one attempt of a request to one server and relays the
 * response, built on Jetty's {@link ProxyHandler.Reverse} (which removes hop-by-hop headers, handles
 * {@code Expect: 100-continue} and streams with backpressure). It is one long-lived object that owns
 * the {@link HttpClient}; configuration reloads never replace it.
 *
 * <p>What Switchboard adds: the target comes from the {@link Upstream} the balancer chose (a request
 * attribute); {@code X-Forwarded-For} is appended as Go's reverse proxy does (the other
 * X-Forwarded-* headers are set at the entry point); {@code passHostHeader}; a response header
 * timeout (504); what the attempt shows of the server goes to the {@link Upstream.Outcome}; before
 * it answers a failure (502, 504), or relays a response whose status the retry policy retries on,
 * it asks the request's {@link RetryingHandler.Attempts} whether the request is tried again, and if
 * so writes nothing; the time to response headers is reported for the {@code leasttime} strategy;
 * and mirror copies are sent from here ({@link #sendCopy}).
 */
public final class Forwarder extends ProxyHandler.Reverse {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private static final String UPSTREAM = Forwarder.class.getName() + ".upstream";
    private static final String ATTEMPT = Forwarder.class.getName() + ".attempt";
    /** The longest a mirror copy may take; mirrors are fire-and-forget. */
    public static final Duration MIRROR_TIMEOUT = Duration.ofSeconds(60);
    private static final java.util.EnumSet<HttpHeader> HOP_BY_HOP = java.util.EnumSet.of(HttpHeader.CONNECTION,
            HttpHeader.KEEP_ALIVE, HttpHeader.PROXY_AUTHORIZATION, HttpHeader.PROXY_AUTHENTICATE,
            HttpHeader.PROXY_CONNECTION, HttpHeader.TRANSFER_ENCODING, HttpHeader.TE, HttpHeader.TRAILER,
            HttpHeader.UPGRADE);

    private final ServersTransport transport;
    private HttpClient probeClient;

    public Forwarder(ServersTransport transport) {
        super(Forwarder::serverUri);
        this.transport = transport;
    }

    /** Sends {@code clientToProxyRequest} to {@code upstream}; the outcome hears how it ended. */
    public void forward(Request clientToProxyRequest, Response proxyToClientResponse, Callback proxyToClientCallback,
            Upstream upstream) {
        clientToProxyRequest.setAttribute(UPSTREAM, upstream);
        upstream.server().begin();
        handle(clientToProxyRequest, proxyToClientResponse, proxyToClientCallback);
    }

    /**
     * The forwarding client, tuned as {@link Tuning} says: response events on the selector thread
     * (they never block: they write to the client asynchronously), the server's thread pool, one
     * selector per two CPUs.
     */
    @Override
    protected HttpClient newHttpClient() {
        HttpClient client = newClient(Tuning.FORWARDER_SELECTORS);
        if (Tuning.FORWARDER_SHARED_EXECUTOR && getServer() != null) {
            client.setExecutor(getServer().getThreadPool());
        }
        if (Tuning.FORWARDER_NON_BLOCKING) {
            client.getHttpClientTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        }
        Integer idle = transport.maxIdleConnsPerHost();
        client.setMaxConnectionsPerDestination(idle != null && idle > 0 ? Math.max(idle, 256) : 256);
        client.setMaxRequestsQueuedPerDestination(4096);
        client.setResponseBufferSize(Tuning.FORWARDER_RESPONSE_BUFFER);
        return client;
    }

    @Override
    protected void doStart() throws Exception {
        probeClient = newClient(1);
        probeClient.setUserAgentField(null);
        probeClient.setHttpCookieStore(new org.eclipse.jetty.http.HttpCookieStore.Empty());
        probeClient.setMaxConnectionsPerDestination(4);
        addBean(probeClient, true);
        super.doStart();
    }

    /**
     * The client of active health checks: same dial timeout and TLS trust as forwarding, its own
     * small connection pool (probes do not queue behind traffic, nor traffic behind probes), and
     * Jetty's standard protocol handlers, so it can follow redirects (the forwarding client must
     * not). Started and stopped with the forwarder.
     */
    public HttpClient probeClient() {
        return probeClient;
    }

    private HttpClient newClient(int selectors) {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(selectors);
        connector.setConnectTimeout(transport.forwardingTimeouts().dialTimeout());
        connector.setIdleTimeout(transport.forwardingTimeouts().idleConnTimeout());
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        if (Boolean.TRUE.equals(transport.insecureSkipVerify())) {
            ssl.setTrustAll(true);
            ssl.setEndpointIdentificationAlgorithm(null);
        }
        connector.setSslContextFactory(ssl);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setIdleTimeout(transport.forwardingTimeouts().idleConnTimeout().toMillis());
        return client;
    }

    @Override
    protected void configureHttpClient(HttpClient httpClient) {
        super.configureHttpClient(httpClient);
        httpClient.setUserAgentField(null);
    }

    private static HttpURI serverUri(Request clientToProxyRequest) {
        Upstream upstream = (Upstream) clientToProxyRequest.getAttribute(UPSTREAM);
        return serverUri(upstream, clientToProxyRequest.getHttpURI());
    }

    private static HttpURI serverUri(Upstream upstream, HttpURI in) {
        URI base = upstream.base();
        // Go's URL.EscapedPath(), as Traefik sends it: the client's encoding when valid, else Go's (/{x} -> /%7Bx%7D)
        String path = in.getPath() == null ? null : GoUrlPaths.forwardedPath(in.getPath());
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        if (upstream.preservePath()) {
            path = joinPath(base.getRawPath(), path);
        }
        return HttpURI.build()
                .scheme(base.getScheme())
                .host(base.getHost())
                .port(base.getPort())
                .path(path)
                .query(GoUrlPaths.forwardedQuery(in.getQuery()))
                .asImmutable();
    }

    /** Go's {@code singleJoiningSlash}, as Traefik joins a server path and a request path. */
    static String joinPath(String a, String b) {
        if (a == null || a.isEmpty()) {
            return b;
        }
        boolean aslash = a.endsWith("/");
        boolean bslash = b.startsWith("/");
        if (aslash && bslash) {
            return a + b.substring(1);
        }
        if (!aslash && !bslash) {
            return a + "/" + b;
        }
        return a + b;
    }

    @Override
    protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request clientToProxyRequest, HttpURI newHttpURI) {
        Upstream upstream = (Upstream) clientToProxyRequest.getAttribute(UPSTREAM);
        org.eclipse.jetty.client.Request proxyToServerRequest = super.newProxyToServerRequest(clientToProxyRequest, newHttpURI);
        Attempt attempt = new Attempt(upstream, System.nanoTime(), proxyToServerRequest);
        proxyToServerRequest.attribute(ATTEMPT, attempt);
        proxyToServerRequest.onRequestCommit(r -> attempt.sent = true);
        proxyToServerRequest.onResponseBegin(r -> {
            attempt.answering = true;
            upstream.outcome().responseTime(attempt.elapsed());
        });
        upstream.server().track(attempt);
        Duration timeout = upstream.responseHeaderTimeout();
        if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
            Scheduler scheduler = getHttpClient().getScheduler();
            proxyToServerRequest.onRequestSuccess(r -> attempt.timeout = scheduler.schedule(
                    () -> r.abort(new TimeoutException("no response headers from " + upstream.base() + " within "
                            + timeout.toMillis() + " ms")),
                    timeout.toMillis(), TimeUnit.MILLISECONDS));
            proxyToServerRequest.onResponseBegin(r -> attempt.cancelTimeout());
        }
        return proxyToServerRequest;
    }

    @Override
    protected void copyRequestHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        super.copyRequestHeaders(clientToProxyRequest, proxyToServerRequest);
        Upstream upstream = (Upstream) clientToProxyRequest.getAttribute(UPSTREAM);
        if (!upstream.passHostHeader()) {
            // Without a Host header the client derives it from the server URL.
            proxyToServerRequest.headers(headers -> headers.remove(HttpHeader.HOST));
        }
    }

    /** Appends the client's address to X-Forwarded-For like Go's reverse proxy; no Via, no Forwarded. */
    @Override
    protected void addProxyHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        String clientIp = Request.getRemoteAddr(clientToProxyRequest);
        List<String> prior = clientToProxyRequest.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR);
        String value = prior.isEmpty() ? clientIp : String.join(", ", prior) + ", " + clientIp;
        proxyToServerRequest.headers(headers -> headers.put(HttpHeader.X_FORWARDED_FOR, value));
    }

    @Override
    protected void onServerToProxyResponseFailure(Request clientToProxyRequest,
            org.eclipse.jetty.client.Request proxyToServerRequest, org.eclipse.jetty.client.Response serverToProxyResponse,
            Response proxyToClientResponse, Callback proxyToClientCallback, Throwable failure) {
        Attempt attempt = (Attempt) proxyToServerRequest.getAttributes().get(ATTEMPT);
        attempt.cancelTimeout();
        Upstream upstream = attempt.upstream;
        upstream.server().untrack(attempt);
        upstream.server().end(true);
        if (attempt.sent && isTimeout(failure)) {
            // No answer in time is a very slow answer, for the least-time strategy.
            upstream.outcome().responseTime(attempt.elapsed());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} P2S failure to {} (request sent: {}): {}", requestId(clientToProxyRequest), upstream.base(),
                    attempt.sent, failure.toString());
        }
        if (proxyToClientResponse.isCommitted()) {
            upstream.outcome().completed(proxyToClientResponse.getStatus(), attempt.elapsed(), failure);
            proxyToClientCallback.failed(failure);
            return;
        }
        upstream.outcome().failed(failure, attempt.sent);
        // The response is not reset here: a retry restores what was set before the attempt
        // (headers of middlewares, a sticky cookie), and error pages reset it.
        RetryingHandler.Attempts attempts = RetryingHandler.Attempts.of(clientToProxyRequest);
        if (attempts != null && attempts.takeOver(failure, attempt.sent)) {
            return;
        }
        int status = isTimeout(failure) ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502;
        upstream.outcome().completed(status, attempt.elapsed(), failure);
        Responses.status(proxyToClientResponse, proxyToClientCallback, status);
    }

    /**
     * Relays the server's response, except one the retry policy wants retried on its status: that
     * one is read and discarded (the connection stays usable) and the balancer tries again.
     */
    @Override
    protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
            Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
            Response proxyToClientResponse, Callback proxyToClientCallback) {
        return new RetryAwareResponseListener(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse,
                proxyToClientCallback);
    }

    private final class RetryAwareResponseListener extends ProxyResponseListener {
        private final Request clientToProxyRequest;
        private final org.eclipse.jetty.client.Request proxyToServerRequest;
        private final Response proxyToClientResponse;
        private final Callback proxyToClientCallback;
        private int discarded;

        RetryAwareResponseListener(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
                Response proxyToClientResponse, Callback proxyToClientCallback) {
            super(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse, proxyToClientCallback);
            this.clientToProxyRequest = clientToProxyRequest;
            this.proxyToServerRequest = proxyToServerRequest;
            this.proxyToClientResponse = proxyToClientResponse;
            this.proxyToClientCallback = proxyToClientCallback;
        }

        @Override
        public void onBegin(org.eclipse.jetty.client.Response serverToProxyResponse) {
            Attempt attempt = (Attempt) proxyToServerRequest.getAttributes().get(ATTEMPT);
            int status = serverToProxyResponse.getStatus();
            RetryingHandler.Attempts attempts = RetryingHandler.Attempts.of(clientToProxyRequest);
            if (attempts != null && attempts.retriesStatus(status)) {
                discarded = status;
                return;
            }
            attempt.upstream.outcome().answered(status);
            super.onBegin(serverToProxyResponse);
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response serverToProxyResponse) {
            if (discarded == 0) {
                super.onHeaders(serverToProxyResponse);
            }
        }

        @Override
        public void onContent(org.eclipse.jetty.client.Response serverToProxyResponse, Content.Chunk chunk,
                Runnable demander) {
            if (discarded == 0) {
                super.onContent(serverToProxyResponse, chunk, demander);
            } else {
                demander.run();
            }
        }

        @Override
        public void onSuccess(org.eclipse.jetty.client.Response serverToProxyResponse) {
            if (discarded == 0) {
                super.onSuccess(serverToProxyResponse);
            }
        }

        @Override
        public void onComplete(Result result) {
            if (discarded == 0) {
                super.onComplete(result);
                return;
            }
            Attempt attempt = (Attempt) proxyToServerRequest.getAttributes().get(ATTEMPT);
            attempt.cancelTimeout();
            Upstream upstream = attempt.upstream;
            upstream.server().untrack(attempt);
            upstream.server().end(false);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} S2P status {} from {} discarded for a retry", requestId(clientToProxyRequest), discarded,
                        upstream.base());
            }
            RetryableStatus failure = new RetryableStatus(discarded);
            upstream.outcome().failed(failure, true);
            RetryingHandler.Attempts attempts = RetryingHandler.Attempts.of(clientToProxyRequest);
            if (attempts != null && attempts.takeOver(failure, true)) {
                return;
            }
            upstream.outcome().completed(discarded, attempt.elapsed(), null);
            Responses.status(proxyToClientResponse, proxyToClientCallback, discarded);
        }
    }

    /**
     * Sends a mirror copy to {@code upstream}'s server and discards the answer: the same URL,
     * header and X-Forwarded-For rules as a forwarded request, a body only if the copy has one, and
     * at most {@link #MIRROR_TIMEOUT} for the whole exchange.
     */
    public void sendCopy(MirrorCopy copy, Upstream upstream) {
        HttpURI uri = serverUri(upstream, copy.uri());
        org.eclipse.jetty.client.Request proxyToMirrorRequest = getHttpClient().newRequest(uri.toURI())
                .method(copy.method())
                .timeout(MIRROR_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        java.util.Set<String> connectionListed = new java.util.HashSet<>();
        for (String value : copy.headers().getValuesList(HttpHeader.CONNECTION)) {
            for (String name : value.split(",")) {
                connectionListed.add(name.trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        proxyToMirrorRequest.headers(headers -> {
            for (HttpField field : copy.headers()) {
                HttpHeader h = field.getHeader();
                if ((h != null && HOP_BY_HOP.contains(h)) || connectionListed.contains(field.getLowerCaseName())
                        || h == HttpHeader.CONTENT_LENGTH || (h == HttpHeader.HOST && !upstream.passHostHeader())) {
                    continue;
                }
                headers.add(field);
            }
            List<String> prior = copy.headers().getValuesList(HttpHeader.X_FORWARDED_FOR);
            headers.put(HttpHeader.X_FORWARDED_FOR,
                    prior.isEmpty() ? copy.clientAddress() : String.join(", ", prior) + ", " + copy.clientAddress());
        });
        if (copy.body() != null && copy.body().length > 0) {
            proxyToMirrorRequest.body(new BytesRequestContent(copy.headers().get(HttpHeader.CONTENT_TYPE), copy.body()));
        }
        upstream.server().begin();
        long start = System.nanoTime();
        proxyToMirrorRequest.send(result -> {
            upstream.server().end(result.isFailed());
            if (result.isFailed()) {
                upstream.outcome().failed(result.getFailure(), result.getRequestFailure() == null);
            } else {
                upstream.outcome().answered(result.getResponse().getStatus());
                upstream.outcome().completed(result.getResponse().getStatus(), System.nanoTime() - start, null);
            }
        });
    }

    private static boolean isTimeout(Throwable failure) {
        return Failures.isTimeout(failure);
    }

    @Override
    protected void onProxyToClientResponseComplete(Request clientToProxyRequest,
            org.eclipse.jetty.client.Request proxyToServerRequest, org.eclipse.jetty.client.Response serverToProxyResponse,
            Response proxyToClientResponse, Callback proxyToClientCallback) {
        Attempt attempt = (Attempt) proxyToServerRequest.getAttributes().get(ATTEMPT);
        attempt.upstream.server().untrack(attempt);
        attempt.upstream.server().end(false);
        attempt.upstream.outcome().completed(serverToProxyResponse.getStatus(), attempt.elapsed(), null);
        if (Tuning.SERVER_NON_BLOCKING) {
            ConnectorExecutor.resumeInline(() -> super.onProxyToClientResponseComplete(clientToProxyRequest,
                    proxyToServerRequest, serverToProxyResponse, proxyToClientResponse, proxyToClientCallback));
        } else {
            super.onProxyToClientResponseComplete(clientToProxyRequest, proxyToServerRequest, serverToProxyResponse,
                    proxyToClientResponse, proxyToClientCallback);
        }
    }

    @Override
    protected void onProxyToClientResponseFailure(Request clientToProxyRequest,
            org.eclipse.jetty.client.Request proxyToServerRequest, org.eclipse.jetty.client.Response serverToProxyResponse,
            Response proxyToClientResponse, Callback proxyToClientCallback, Throwable failure) {
        Attempt attempt = (Attempt) proxyToServerRequest.getAttributes().get(ATTEMPT);
        attempt.upstream.server().untrack(attempt);
        attempt.upstream.server().end(false);
        attempt.upstream.outcome().completed(serverToProxyResponse.getStatus(), attempt.elapsed(), failure);
        super.onProxyToClientResponseFailure(clientToProxyRequest, proxyToServerRequest, serverToProxyResponse,
                proxyToClientResponse, proxyToClientCallback, failure);
    }

    /** Per-attempt bookkeeping, attached to the proxy-to-server request. */
    private static final class Attempt implements ServerState.InFlight {
        final Upstream upstream;
        final long startNanos;
        final org.eclipse.jetty.client.Request proxyToServerRequest;
        volatile boolean sent;
        volatile boolean answering;
        volatile Scheduler.Task timeout;

        Attempt(Upstream upstream, long startNanos, org.eclipse.jetty.client.Request proxyToServerRequest) {
            this.upstream = upstream;
            this.startNanos = startNanos;
            this.proxyToServerRequest = proxyToServerRequest;
        }

        long elapsed() {
            return System.nanoTime() - startNanos;
        }

        void cancelTimeout() {
            Scheduler.Task t = timeout;
            if (t != null) {
                t.cancel();
            }
        }

        /** Gives up waiting for a server found down, if the request can go elsewhere and no answer has begun. */
        @Override
        public boolean serverDown(Throwable reason) {
            if (!upstream.abandonable() || answering) {
                return false;
            }
            proxyToServerRequest.abort(reason);
            return true;
        }
    }
}
