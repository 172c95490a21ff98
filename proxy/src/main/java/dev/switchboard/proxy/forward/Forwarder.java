package dev.switchboard.proxy.forward;

import dev.switchboard.proxy.config.Tuning;
import dev.switchboard.proxy.config.dynamic.ServersTransport;
import dev.switchboard.proxy.http.BufferedRequest;
import dev.switchboard.proxy.http.ClientRequestException;
import dev.switchboard.proxy.http.ConnectorExecutor;
import dev.switchboard.proxy.http.Responses;
import dev.switchboard.proxy.rules.GoUrlPaths;
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
import org.eclipse.jetty.client.HttpUpgrader;
import org.eclipse.jetty.client.UpgradeProtocolHandler;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
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
 * {@code Expect: 100-continue} and streams with backpressure). There is one per servers transport
 * ({@link Forwarders}), each owning its {@link HttpClient} built from the transport's options;
 * reloads keep it while those options are unchanged.
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
    private static final String PROXY_TO_CLIENT_RESPONSE = Forwarder.class.getName() + ".proxyToClientResponse";
    private static final String PROXY_TO_CLIENT_CALLBACK = Forwarder.class.getName() + ".proxyToClientCallback";
    /** The longest a mirror copy may take; mirrors are fire-and-forget. */
    public static final Duration MIRROR_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The largest response head read from a server and relayed to the client; larger is a 502.
     * Go reads up to 10 MiB ({@code Transport.MaxResponseHeaderBytes} unset) and writes any size.
     */
    public static final int MAX_RESPONSE_HEAD_BYTES = 1 << 20;
    private static final java.util.EnumSet<HttpHeader> HOP_BY_HOP = java.util.EnumSet.of(HttpHeader.CONNECTION,
            HttpHeader.KEEP_ALIVE, HttpHeader.PROXY_AUTHORIZATION, HttpHeader.PROXY_AUTHENTICATE,
            HttpHeader.PROXY_CONNECTION, HttpHeader.TRANSFER_ENCODING, HttpHeader.TE, HttpHeader.TRAILER,
            HttpHeader.UPGRADE);

    private final ServersTransport transport;
    private HttpClient probeClient;
    private int maxRequestHeadBytes = (1 << 20) + 8192;

    public Forwarder(ServersTransport transport) {
        super(Forwarder::serverUri);
        this.transport = transport;
    }

    /**
     * The largest request head sent to a server: what the entry points accept (their
     * {@code maxHeaderBytes} and Go's 4 KiB) plus room for the X-Forwarded headers. Go's transport has
     * no limit; Jetty's client would refuse a head over 8 KiB (a 502). Set before start.
     */
    public void setMaxRequestHeadBytes(int bytes) {
        maxRequestHeadBytes = bytes;
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
        IdleCappedConnectionPool.configure(client, transport);
        client.setMaxRequestsQueuedPerDestination(4096);
        client.setResponseBufferSize(Tuning.FORWARDER_RESPONSE_BUFFER);
        client.setMaxResponseHeadersSize(MAX_RESPONSE_HEAD_BYTES);
        client.setMaxRequestHeadersSize(maxRequestHeadBytes); // Jetty grows its buffer to this only for a head that needs it
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
        // A 101 to an upgrade request goes to the request's HttpUpgrader (protocol switches: WebSocket).
        getHttpClient().getProtocolHandlers().put(new UpgradeProtocolHandler() {
            @Override
            protected boolean acceptHeaders(org.eclipse.jetty.client.Request request, org.eclipse.jetty.client.Response response) {
                return request.getAttributes().get(HttpUpgrader.Factory.class.getName()) instanceof Switch;
            }
        });
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
        // A request without Content-Type goes without one, as Go's transport sends it (Jetty would add application/octet-stream).
        httpClient.setDefaultRequestContentType(null);
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
        // idleConnTimeout is for pooled connections only: no limit on an exchange in progress, as in Go
        // (responseHeaderTimeout, below, is the one limit on waiting for a server, and it is off by default).
        proxyToServerRequest.idleTimeout(0, TimeUnit.MILLISECONDS);
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
        Upstream upstream = (Upstream) clientToProxyRequest.getAttribute(UPSTREAM);
        HttpFields clientHeaders = clientToProxyRequest.getHeaders();
        java.util.Set<String> listed = connectionListed(clientHeaders);
        proxyToServerRequest.headers(headers -> {
            for (HttpField field : clientHeaders) {
                // Without a Host header the client derives it from the server URL (passHostHeader: false).
                if (!isHopByHop(field, listed) && (field.getHeader() != HttpHeader.HOST || upstream.passHostHeader())) {
                    headers.add(field);
                }
            }
            // Go's reverse proxy tells the server it takes trailers when the client said so.
            if (clientHeaders.getValuesList(HttpHeader.TE).stream().anyMatch(v -> v.toLowerCase(java.util.Locale.ROOT).contains("trailers"))) {
                headers.put(HttpHeader.TE, "trailers");
            }
        });
        String upgrade = upgradeType(clientToProxyRequest, listed);
        if (upgrade != null) {
            // After the hop-by-hop headers are gone, Go puts back what a protocol switch needs.
            proxyToServerRequest.headers(headers -> headers.put(HttpHeader.CONNECTION, "Upgrade").put(HttpHeader.UPGRADE, upgrade));
            proxyToServerRequest.attribute(HttpUpgrader.Factory.class.getName(),
                    new Switch(upgrade, clientToProxyRequest, proxyToServerRequest));
        }
    }

    /**
     * The protocol an HTTP/1.1 request asks to switch to (Go's {@code upgradeType}: {@code Connection}
     * lists {@code upgrade}, and {@code Upgrade} names it), or null. A switch needs the client's own
     * connection, so requests over HTTP/2 are not switched (Go's HTTP/2 server refuses them too).
     */
    private static String upgradeType(Request clientToProxyRequest, java.util.Set<String> connectionListed) {
        String upgrade = clientToProxyRequest.getHeaders().get(HttpHeader.UPGRADE);
        if (upgrade == null || !connectionListed.contains("upgrade")
                || !(clientToProxyRequest.getConnectionMetaData().getConnection() instanceof org.eclipse.jetty.server.internal.HttpConnection)) {
            return null;
        }
        return upgrade;
    }

    /**
     * Switches the exchange to the protocol the server accepted with its 101 (Go's
     * {@code handleUpgradeResponse}): the server must name the protocol the client asked for (else
     * 502), the client gets the 101 with every header the server sent, and then bytes flow both
     * ways through an {@link UpgradeTunnel} until either side closes.
     */
    private final class Switch implements HttpUpgrader.Factory, HttpUpgrader {
        private final String protocol;
        private final Request clientToProxyRequest;
        private final org.eclipse.jetty.client.Request proxyToServerRequest;

        Switch(String protocol, Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
            this.protocol = protocol;
            this.clientToProxyRequest = clientToProxyRequest;
            this.proxyToServerRequest = proxyToServerRequest;
        }

        @Override
        public HttpUpgrader newHttpUpgrader(org.eclipse.jetty.http.HttpVersion version) {
            return this;
        }

        @Override
        public void prepare(org.eclipse.jetty.client.Request request) {
        }

        @Override
        public void upgrade(org.eclipse.jetty.client.Response serverToProxyResponse, org.eclipse.jetty.io.EndPoint serverEndPoint,
                Callback callback) {
            String accepted = serverToProxyResponse.getHeaders().get(HttpHeader.UPGRADE);
            if (accepted == null || !accepted.equalsIgnoreCase(protocol)) {
                callback.failed(new java.io.IOException("the server switched to protocol \"" + accepted + "\" when \""
                        + protocol + "\" was requested"));
                return;
            }
            Attempt attempt = (Attempt) proxyToServerRequest.getAttributes().get(ATTEMPT);
            Response proxyToClientResponse = (Response) proxyToServerRequest.getAttributes().get(PROXY_TO_CLIENT_RESPONSE);
            Callback proxyToClientCallback = (Callback) proxyToServerRequest.getAttributes().get(PROXY_TO_CLIENT_CALLBACK);
            org.eclipse.jetty.io.EndPoint clientEndPoint = clientToProxyRequest.getConnectionMetaData().getConnection().getEndPoint();
            UpgradeTunnel[] halves = UpgradeTunnel.pair(clientEndPoint, serverEndPoint, getHttpClient().getExecutor(),
                    clientToProxyRequest.getComponents().getByteBufferPool());
            serverEndPoint.upgrade(halves[1]);
            clientToProxyRequest.setAttribute(org.eclipse.jetty.server.HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, halves[0]);
            proxyToClientResponse.setStatus(HttpStatus.SWITCHING_PROTOCOLS_101);
            proxyToClientResponse.getHeaders().add(serverToProxyResponse.getHeaders());
            attempt.cancelTimeout();
            attempt.upstream.server().untrack(attempt);
            attempt.upstream.server().end(false);
            attempt.upstream.outcome().completed(HttpStatus.SWITCHING_PROTOCOLS_101, attempt.elapsed(), null);
            proxyToClientResponse.write(true, null, Callback.from(proxyToClientCallback::succeeded, failure -> {
                serverEndPoint.close(failure);
                proxyToClientCallback.failed(failure);
            }));
            callback.succeeded();
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
        ClientRequestException client = ClientRequestException.in(failure);
        if (client != null) {
            // The client broke or stalled its own request: not the server's failure, nothing to retry.
            upstream.server().end(false);
            upstream.outcome().completed(client.getCode(), attempt.elapsed(), null);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} C2P failure: {}", requestId(clientToProxyRequest), client.getMessage());
            }
            if (proxyToClientResponse.isCommitted()) {
                proxyToClientCallback.failed(client);
            } else {
                Responses.clientError(proxyToClientResponse, proxyToClientCallback, client.getCode(), client.statusText());
            }
            return;
        }
        if (staleConnection(clientToProxyRequest, proxyToServerRequest, attempt, failure)) {
            // Go's transport sends the request again on another connection, to the same server: no retry of
            // Traefik's, and the server's failure count is not touched.
            upstream.server().end(false);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} P2S pooled connection to {} closed before an answer ({}): sent again on another connection",
                        requestId(clientToProxyRequest), upstream.base(), failure.toString());
            }
            forward(clientToProxyRequest, proxyToClientResponse, proxyToClientCallback, upstream);
            return;
        }
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

    /** Methods Go's transport sends again after a pooled connection broke ({@code Request.isReplayable}). */
    private static final java.util.Set<String> REPLAYABLE = java.util.Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    /** Bounds the re-sends of one request (Go's loop ends when it gets a fresh connection; so does this, in practice). */
    private static final int MAX_STALE_RESENDS = 8;
    private static final String STALE_RESENDS = Forwarder.class.getName() + ".staleResends";

    /**
     * Whether the attempt broke on a pooled keep-alive connection that the server closed before
     * answering (it closed an idle connection as the request went out, or is shutting down), so that
     * the request is sent again on another connection to the same server, as Go's
     * {@code http.Transport} does under Traefik ({@code persistConn.shouldRetryRequest}): the
     * connection had carried an earlier exchange, no byte of an answer came, the failure is not a
     * timeout, and the request is replayable (GET, HEAD, OPTIONS or TRACE without a body), or was not
     * written at all. A fresh connection that breaks is the server's failure, not a stale pool.
     */
    private static boolean staleConnection(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
            Attempt attempt, Throwable failure) {
        if (attempt.answering || isTimeout(failure) || !closedByServer(failure)
                || !(proxyToServerRequest.getConnection() instanceof org.eclipse.jetty.io.Connection c) || c.getBytesIn() == 0) {
            return false;
        }
        boolean replayable = REPLAYABLE.contains(clientToProxyRequest.getMethod()) && !BufferedRequest.hasBody(clientToProxyRequest);
        if (attempt.sent && !replayable) {
            return false;
        }
        Object n = clientToProxyRequest.getAttribute(STALE_RESENDS);
        int resends = n == null ? 0 : (Integer) n;
        if (resends >= MAX_STALE_RESENDS) {
            return false;
        }
        clientToProxyRequest.setAttribute(STALE_RESENDS, resends + 1);
        return true;
    }

    /**
     * Whether the connection failed because the server closed or reset it (an end of stream, a closed
     * channel, a reset or broken pipe); not an attempt the proxy itself abandoned (a server found
     * down, a retried status, a timeout), which must not go to the same server again.
     */
    private static boolean closedByServer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof dev.switchboard.proxy.upstream.ServerDownException || t instanceof RetryableStatus) {
                return false;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
            String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (t instanceof java.io.IOException && (message.contains("reset") || message.contains("broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Relays the server's response, except one the retry policy wants retried on its status: that
     * one is read and discarded (the connection stays usable) and the balancer tries again.
     */
    @Override
    protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
            Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
            Response proxyToClientResponse, Callback proxyToClientCallback) {
        proxyToServerRequest.attribute(PROXY_TO_CLIENT_RESPONSE, proxyToClientResponse)
                .attribute(PROXY_TO_CLIENT_CALLBACK, proxyToClientCallback);
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

        /**
         * Copies the server's headers but the hop-by-hop ones, both the standard list and those the
         * server's {@code Connection} header names (Go's {@code removeHopByHopHeaders} on the
         * response; Jetty's proxy removes only the standard list).
         */
        @Override
        public void onHeaders(org.eclipse.jetty.client.Response serverToProxyResponse) {
            if (discarded != 0) {
                return;
            }
            HttpFields serverHeaders = serverToProxyResponse.getHeaders();
            java.util.Set<String> listed = connectionListed(serverHeaders);
            HttpFields.Mutable headers = proxyToClientResponse.getHeaders();
            for (HttpField field : serverHeaders) {
                if (!isHopByHop(field, listed)) {
                    headers.add(field);
                }
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
        java.util.Set<String> connectionListed = connectionListed(copy.headers());
        proxyToMirrorRequest.headers(headers -> {
            for (HttpField field : copy.headers()) {
                HttpHeader h = field.getHeader();
                if (isHopByHop(field, connectionListed) || h == HttpHeader.CONTENT_LENGTH
                        || (h == HttpHeader.HOST && !upstream.passHostHeader())) {
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

    /** The header names a {@code Connection} header lists (lower case), which are hop-by-hop too (RFC 9110 7.6.1). */
    private static java.util.Set<String> connectionListed(HttpFields headers) {
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (String value : headers.getValuesList(HttpHeader.CONNECTION)) {
            for (String name : value.split(",")) {
                listed.add(name.trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return listed;
    }

    /**
     * Go's hop-by-hop list (which is Jetty's), matched by name too: an {@code Upgrade} header
     * without {@code Connection: upgrade} reaches the pipeline as a plain header.
     */
    private static boolean isHopByHop(HttpField field, java.util.Set<String> connectionListed) {
        HttpHeader h = field.getHeader();
        if (h == null) {
            h = HttpHeader.CACHE.get(field.getName());
        }
        return (h != null && HOP_BY_HOP.contains(h)) || connectionListed.contains(field.getLowerCaseName());
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
