package dev.switchboard.proxy.server;

import dev.switchboard.proxy.config.ListenAddress;
import dev.switchboard.proxy.config.Improvement;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.Tuning;
import dev.switchboard.proxy.forward.Forwarder;
import dev.switchboard.proxy.http.ConnectorExecutor;
import dev.switchboard.proxy.tls.CertificateStore;
import dev.switchboard.proxy.tls.TlsConnectors;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The entry points of the proxy: a Jetty connector per {@code --entrypoints.<name>} (plain HTTP or
 * TLS with SNI and ALPN), each with its {@link EntryPointHandler}. As the server's handler, it is
 * where every request enters: it hands the request to the handler of the connector it came in on.
 * The router tables it holds are swapped all at once by the {@link ConfigurationWatcher}.
 */
public final class EntryPoints extends Handler.Abstract {
    private final Map<String, ServerConnector> connectors = new LinkedHashMap<>();
    private final Map<String, EntryPointHandler> handlers = new LinkedHashMap<>();
    private final Map<String, ConnectionStatistics> connections = new LinkedHashMap<>();
    private final EntryPointHandler[] all;

    /**
     * Connectors for every entry point of {@code config}, on {@code server}, dispatching to
     * {@code pool} (see {@link ConnectorExecutor}), with TLS certificates from {@code certificates}.
     */
    public EntryPoints(StaticConfig config, Server server, Executor pool, CertificateStore certificates) {
        server.setErrorHandler(new PlainErrors());
        config.entryPoints().forEach((name, ep) -> {
            ListenAddress address = ListenAddress.parse(ep.address(), "--entrypoints." + name + ".address");
            StaticConfig.RespondingTimeouts timeouts = ep.transport().respondingTimeouts();
            HttpConfiguration http = httpConfiguration(ep);
            ServerConnector connector = new ServerConnector(server, new ConnectorExecutor(pool, this::nonBlocking),
                    null, null, -1, -1, TlsConnectors.factories(http, new EntryPointConnectionFactory(http, timeouts.readTimeout()),
                            certificates, ep.http2()));
            connector.setName(name);
            connector.setHost(address.host());
            connector.setPort(address.port());
            // Go waits idleTimeout for the next request on a kept-alive connection (readTimeout if it is zero).
            connector.setIdleTimeout((timeouts.idleTimeout().isZero() ? timeouts.readTimeout() : timeouts.idleTimeout()).toMillis());
            ConnectionStatistics statistics = new ConnectionStatistics();
            connector.addBean(statistics);
            connections.put(name, statistics);
            connectors.put(name, connector);
            handlers.put(name, new EntryPointHandler(name, ep, config.behaviour().on(Improvement.SANITIZE_PATH)));
        });
        this.all = handlers.values().toArray(EntryPointHandler[]::new);
    }

    /**
     * How an entry point's connections parse and answer: request line and headers up to
     * {@code http.maxHeaderBytes} plus Go's 4 KiB allowance, response headers up to
     * {@link Forwarder#MAX_RESPONSE_HEAD_BYTES} (Jetty grows its header buffer to that only for a
     * response that needs it), no Server, X-Powered-By or Date header added, and the request targets
     * Go's server accepts.
     */
    private static HttpConfiguration httpConfiguration(StaticConfig.EntryPoint ep) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(false);
        http.setRequestHeaderSize(ep.http().maxHeaderBytes() + 4096);
        http.setResponseHeaderSize(Forwarder.MAX_RESPONSE_HEAD_BYTES);
        RequestCompliance.applyTo(http); // the request targets and Host headers Traefik v3.2 (Go) accepts
        // On TLS connections: request.isSecure(); no check of Host against the certificate (Traefik has none).
        SecureRequestCustomizer secure = new SecureRequestCustomizer(false);
        secure.setSniRequired(false);
        http.addCustomizer(secure);
        return http;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        EntryPointHandler ep = handlers.get(request.getConnectionMetaData().getConnector().getName());
        return ep != null && ep.handle(request, response, callback);
    }

    /**
     * True when {@link Tuning#SERVER_NON_BLOCKING} is on and no entry point has a router that can
     * block: requests may then be handled on selector threads, without hand-offs. Read per request
     * (a reload can change it); one entry point with a blocking router turns it off for all, since
     * Jetty asks the server, not the connector.
     */
    public boolean nonBlocking() {
        if (!Tuning.SERVER_NON_BLOCKING) {
            return false;
        }
        for (EntryPointHandler ep : all) {
            if (!ep.table().nonBlocking()) {
                return false;
            }
        }
        return true;
    }

    /** Swaps in every entry point's routers of {@code compiled} (requests already routed finish on the old ones). */
    void apply(CompiledConfig compiled) {
        compiled.tables().forEach((ep, table) -> handlers.get(ep).table(table));
    }

    /** The connectors, by entry point name, in configuration order. */
    public Map<String, ServerConnector> connectors() {
        return Collections.unmodifiableMap(connectors);
    }

    /** Connection statistics per entry point (open connections for metrics and the dashboard). */
    public Map<String, ConnectionStatistics> connections() {
        return Collections.unmodifiableMap(connections);
    }

    /** The handler of entry point {@code name}, or null. */
    public EntryPointHandler handler(String name) {
        return handlers.get(name);
    }

    /** The port entry point {@code name} is bound to, or -1 before it is opened. */
    public int boundPort(String name) {
        ServerConnector connector = connectors.get(name);
        return connector == null ? -1 : connector.getLocalPort();
    }
}
