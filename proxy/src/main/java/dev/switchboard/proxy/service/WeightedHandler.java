package dev.switchboard.proxy.service;

import dev.switchboard.proxy.balancer.Selector;
import dev.switchboard.proxy.balancer.Strategy;
import dev.switchboard.proxy.forward.MirrorCopy;
import dev.switchboard.proxy.http.Responses;
import dev.switchboard.proxy.upstream.ServerState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code weighted} service: smooth weighted round robin over services, for canary
 * releases and progressive delivery (weights 9 and 1 send one request in ten to the canary), with
 * an optional sticky cookie naming the child service.
 *
 * <p>A child that is down (no available server) is skipped while another is up only when the
 * service follows its children's health: in Traefik v3.2 with {@code healthCheck: {}} on the
 * weighted service (and a health check on every child, which the service builder checks); without
 * it a down child still gets its share and answers for itself (503 {@code no available server}).
 * With {@code implicitParentHealth} (Switchboard only) it always follows them. When every child is
 * down the request goes to one anyway, which answers for itself.
 */
public final class WeightedHandler implements ServiceHandler {

    /** One child: its balancer state (weight, running weight, counters) and handler. */
    public record Child(String name, ServerState state, Request.Handler handler) {
    }

    private final String serviceName;
    private final Map<ServerState, Child> children = new LinkedHashMap<>();
    private final Selector selector;
    private final StickyCookie<Child> sticky;
    private final boolean followsChildren;
    private final boolean anyWhenAllDown;

    /**
     * @param sticky          the sticky cookie (keyed by child name), or null
     * @param previous        the selector of this service in the configuration being replaced, whose
     *                        rotation continues, or null
     * @param followsChildren whether children that are down are skipped
     * @param anyWhenAllDown  whether a child gets the request when every child is down (Switchboard),
     *                        rather than a 503 {@code no available server} (Traefik)
     */
    public WeightedHandler(String serviceName, List<Child> children, StickyCookie<Child> sticky, Selector previous,
            boolean followsChildren, boolean anyWhenAllDown) {
        this.serviceName = serviceName;
        this.followsChildren = followsChildren;
        this.anyWhenAllDown = anyWhenAllDown;
        for (Child c : children) {
            this.children.put(c.state(), c);
        }
        this.selector = Strategy.weightedRoundRobin().newSelector(List.copyOf(this.children.keySet()), previous);
        this.sticky = sticky;
    }

    /** The rotation over the children, which the next configuration continues. */
    public Selector selector() {
        return selector;
    }

    @Override
    public boolean mayBlock() {
        for (Child c : children.values()) {
            if (ServiceHandler.mayBlock(c.handler())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    public List<Child> children() {
        return List.copyOf(children.values());
    }

    @Override
    public boolean up() {
        for (Child c : children.values()) {
            if (c.state().weight() > 0 && ServiceHandler.up(c.handler())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code child} may get requests: weighted in, and up when the service follows its children. */
    private boolean usable(Child child) {
        return child.state().weight() > 0 && (!followsChildren || ServiceHandler.up(child.handler()));
    }

    private Child choose() {
        ServerState s = selector.select(null, st -> usable(children.get(st)));
        if (s == null && anyWhenAllDown) {
            s = selector.select(null, st -> st.weight() > 0);
        }
        return s == null ? null : children.get(s);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Child child = null;
        if (sticky != null) {
            StickyCookie.Match<Child> match = sticky.match(request);
            if (match != null && usable(match.target())) {
                child = match.target();
                if (match.rewrite()) {
                    sticky.write(response, child.name());
                }
            }
        }
        if (child == null) {
            child = choose();
            if (child == null) {
                Responses.text(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "no available server\n");
                return true;
            }
            if (sticky != null) {
                sticky.write(response, child.name());
            }
        }
        ServerState state = child.state();
        state.begin();
        Callback counted = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                state.end(false);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                state.end(true);
                super.failed(x);
            }
        };
        if (!child.handler().handle(request, response, counted)) {
            Responses.notFound(response, counted);
        }
        return true;
    }

    @Override
    public void mirror(MirrorCopy copy) {
        Child child = choose();
        if (child != null && child.handler() instanceof ServiceHandler s) {
            s.mirror(copy);
        }
    }
}
