package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.server.Request;

/**
 * Builds the handler of one middleware from its configuration and the next handler. One builder per
 * kind, registered with its {@link Blocking} declaration; a new middleware adds a class named after
 * the Traefik middleware and one line in {@link #FACTORY} (docs/architecture.md, "Where a new piece
 * goes"). {@code chain} is expanded by the router builder, which detects recursion.
 */
public final class MiddlewareFactory {

    /** Builds one kind of middleware. */
    @FunctionalInterface
    public interface Builder<M extends Middleware> {
        Request.Handler build(M config, Request.Handler next, MiddlewareContext context);
    }

    private record Registration(Blocking blocking, Builder<? extends Middleware> builder) {
    }

    private final Map<Class<? extends Middleware>, Registration> registrations = new HashMap<>();

    /** The middlewares Switchboard builds. */
    public static final MiddlewareFactory FACTORY = new MiddlewareFactory()
            .register(Middleware.StripPrefix.class, Blocking.NON_BLOCKING, (c, next, ctx) -> new StripPrefix(c, next))
            .register(Middleware.StripPrefixRegex.class, Blocking.NON_BLOCKING, (c, next, ctx) -> new StripPrefixRegex(c, next))
            .register(Middleware.AddPrefix.class, Blocking.NON_BLOCKING, (c, next, ctx) -> new AddPrefix(c, next))
            .register(Middleware.ReplacePath.class, Blocking.NON_BLOCKING, (c, next, ctx) -> new ReplacePath(c, next))
            .register(Middleware.ReplacePathRegex.class, Blocking.NON_BLOCKING, (c, next, ctx) -> new ReplacePathRegex(c, next))
            .register(Middleware.Headers.class, Blocking.NON_BLOCKING, (c, next, ctx) -> new Headers(c, next))
            .register(Middleware.BasicAuth.class, Blocking.MAY_BLOCK, (c, next, ctx) -> new BasicAuth(c, next, ctx::warn))
            .register(Middleware.ForwardAuth.class, Blocking.MAY_BLOCK, (c, next, ctx) -> new ForwardAuth(c, next))
            .register(Middleware.IpAllowList.class, Blocking.NON_BLOCKING, (c, next, ctx) -> new IpAllowList(c, next))
            .register(Middleware.RateLimit.class, Blocking.NON_BLOCKING, (c, next, ctx) -> new RateLimit(c, next))
            .register(Middleware.InFlightReq.class, Blocking.NON_BLOCKING, (c, next, ctx) -> new InFlightReq(c, next))
            .register(Middleware.CircuitBreaker.class, Blocking.NON_BLOCKING, (c, next, ctx) -> new CircuitBreaker(c, next))
            .register(Middleware.Buffering.class, Blocking.MAY_BLOCK, (c, next, ctx) -> new Buffering(c, next))
            .register(Middleware.RedirectScheme.class, Blocking.NON_BLOCKING, (c, next, ctx) -> new RedirectScheme(c, next))
            .register(Middleware.RedirectRegex.class, Blocking.NON_BLOCKING, (c, next, ctx) -> new RedirectRegex(c, next))
            .register(Middleware.Errors.class, Blocking.MAY_BLOCK, Errors::new)
            .register(Middleware.ContentType.class, Blocking.NON_BLOCKING,
                    (c, next, ctx) -> Boolean.FALSE.equals(c.autoDetect()) ? next : new ContentType(next))
            .register(Middleware.Compress.class, Blocking.MAY_BLOCK, (c, next, ctx) -> new Compress(c, next))
            .register(Middleware.Cache.class, Blocking.MAY_BLOCK, (c, next, ctx) -> new Cache(c, next))
            .register(Middleware.Retry.class, Blocking.MAY_BLOCK, (c, next, ctx) -> Retry.build(c, next, ctx.behaviour()));

    private <M extends Middleware> MiddlewareFactory register(Class<M> type, Blocking blocking, Builder<M> builder) {
        registrations.put(type, new Registration(blocking, builder));
        return this;
    }

    /** Whether this factory builds middlewares of {@code type} (the internal provider asks before using one). */
    public boolean supports(Class<? extends Middleware> type) {
        return registrations.containsKey(type);
    }

    /** What the kind of {@code config} declared; kinds this factory does not build count as blocking. */
    public Blocking blocking(Class<? extends Middleware> type) {
        Registration r = registrations.get(type);
        return r == null ? Blocking.MAY_BLOCK : r.blocking();
    }

    /** Whether a middleware like {@code config} may block the thread that handles a request. */
    public boolean mayBlock(Middleware config) {
        return blocking(config.getClass()) == Blocking.MAY_BLOCK;
    }

    /** Builds {@code config} in front of {@code next}; {@link ConfigException} when it cannot be built. */
    @SuppressWarnings("unchecked")
    public <M extends Middleware> Request.Handler build(M config, Request.Handler next, MiddlewareContext context) {
        Registration r = registrations.get(config.getClass());
        if (r == null) {
            throw new ConfigException("the " + config.kind() + " middleware is not built into this Switchboard yet");
        }
        return ((Builder<M>) r.builder()).build(config, next, context);
    }
}
