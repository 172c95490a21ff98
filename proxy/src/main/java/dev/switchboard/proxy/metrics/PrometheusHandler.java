package dev.switchboard.proxy.metrics;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Enumeration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code prometheus@internal}: the scrape endpoint. The Prometheus client's own
 * {@link PrometheusScrapeHandler} does the work (text, OpenMetrics or protobuf by the
 * {@code Accept} header, {@code name[]} filters, gzip); this class only adapts a Jetty exchange
 * to it. The scrape blocks while it writes, which Jetty allows in a handler.
 */
public final class PrometheusHandler implements Request.Handler {
    private final PrometheusScrapeHandler scrape;

    public PrometheusHandler(PrometheusRegistry registry) {
        this.scrape = new PrometheusScrapeHandler(PrometheusProperties.get(), registry);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            scrape.handleRequest(new Exchange(request, response));
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
        return true;
    }

    private static final class Exchange implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {
        private final Request request;
        private final Response response;

        Exchange(Request request, Response response) {
            this.request = request;
            this.response = response;
        }

        @Override
        public PrometheusHttpRequest getRequest() {
            return this;
        }

        @Override
        public PrometheusHttpResponse getResponse() {
            return this;
        }

        @Override
        public String getQueryString() {
            return request.getHttpURI().getQuery();
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return Collections.enumeration(request.getHeaders().getValuesList(name));
        }

        @Override
        public String getMethod() {
            return request.getMethod();
        }

        @Override
        public String getRequestPath() {
            return request.getHttpURI().getPath();
        }

        @Override
        public void setHeader(String name, String value) {
            response.getHeaders().put(name, value);
        }

        @Override
        public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
            response.setStatus(statusCode);
            if (contentLength > 0) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, contentLength);
            }
            return Content.Sink.asOutputStream(response);
        }

        @Override
        public void handleException(IOException e) throws IOException {
            throw e;
        }

        @Override
        public void handleException(RuntimeException e) {
            throw e;
        }

        @Override
        public void close() {
            // The scrape handler closes the body stream, which completes the response.
        }
    }
}
