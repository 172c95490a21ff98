package dev.switchboard.proxy.service;

import dev.switchboard.proxy.forward.MirrorCopy;
import dev.switchboard.proxy.http.BufferedRequest;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traefik's {@code mirroring} service: every request goes to {@code service}, whose answer the
 * client gets; a copy of {@code percent} % of requests goes to each mirror, whose answers are
 * discarded. Used to try a new version on real traffic without risk.
 *
 * <p>As in Traefik: the body is copied to the mirrors only with {@code mirrorBody} (default true)
 * and only if it fits in {@code maxBodySize} bytes (default -1: no limit), otherwise that request is
 * not mirrored; mirrors are sent after the main response completed, and not at all if the client
 * went away; which requests are mirrored is counted, not random ({@code percent: 10} mirrors
 * exactly every tenth). Mirror failures never touch the client's response.
 */
public final class MirroringHandler implements ServiceHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MirroringHandler.class);

    /** One mirror and its share of requests. */
    public record Mirror(ServiceHandler handler, int percent) {
    }

    private final String serviceName;
    private final Request.Handler main;
    private final List<Mirror> mirrors;
    private final long[] counts;
    private final boolean mirrorBody;
    private final long maxBodySize;
    private long total;

    public MirroringHandler(String serviceName, Request.Handler main, List<Mirror> mirrors, boolean mirrorBody,
            long maxBodySize) {
        this.serviceName = serviceName;
        this.main = main;
        this.mirrors = List.copyOf(mirrors);
        this.counts = new long[mirrors.size()];
        this.mirrorBody = mirrorBody;
        this.maxBodySize = maxBodySize;
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    @Override
    public boolean up() {
        return ServiceHandler.up(main);
    }

    /** Traefik's counting: mirror i takes this request if {@code count_i * 100 < total * percent_i}. */
    private synchronized List<Mirror> activeMirrors() {
        total++;
        List<Mirror> active = new java.util.ArrayList<>(mirrors.size());
        for (int i = 0; i < mirrors.size(); i++) {
            if (counts[i] * 100 < total * mirrors.get(i).percent()) {
                counts[i]++;
                active.add(mirrors.get(i));
            }
        }
        return active;
    }

    /** Always: the body is buffered for the mirrors. */
    @Override
    public boolean mayBlock() {
        return true;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        List<Mirror> active = activeMirrors();
        if (active.isEmpty()) {
            return main.handle(request, response, callback);
        }
        if (!mirrorBody || !BufferedRequest.hasBody(request)) {
            MirrorCopy copy = snapshot(request, null);
            return main.handle(request, response, thenMirror(callback, active, copy));
        }
        BufferedRequest.read(request, maxBodySize, buffered -> {
            try {
                Callback cb = callback;
                if (buffered.replayable()) {
                    cb = thenMirror(callback, active, snapshot(buffered, buffered.body()));
                } else if (LOG.isDebugEnabled()) {
                    LOG.debug("service {}: request body larger than maxBodySize {}, not mirrored", serviceName, maxBodySize);
                }
                if (!main.handle(buffered, response, cb)) {
                    dev.switchboard.proxy.http.Responses.notFound(response, cb);
                }
            } catch (Throwable x) {
                callback.failed(x);
            }
        }, callback::failed);
        return true;
    }

    private static MirrorCopy snapshot(Request request, byte[] body) {
        HttpFields headers = HttpFields.build(request.getHeaders())
                .remove(HttpHeader.CONTENT_LENGTH).remove(HttpHeader.TRANSFER_ENCODING).asImmutable();
        return new MirrorCopy(request.getMethod(), request.getHttpURI().asImmutable(), headers,
                Request.getRemoteAddr(request), body);
    }

    private Callback thenMirror(Callback callback, List<Mirror> active, MirrorCopy copy) {
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                super.succeeded();
                for (Mirror m : active) {
                    try {
                        m.handler().mirror(copy);
                    } catch (RuntimeException e) {
                        LOG.debug("service {}: mirroring to {} failed: {}", serviceName, m.handler().serviceName(), e.toString());
                    }
                }
            }
        };
    }

    @Override
    public void mirror(MirrorCopy copy) {
        if (main instanceof ServiceHandler s) {
            s.mirror(copy);
        }
    }
}
