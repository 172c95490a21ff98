package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.server.Request;

/**
 * Builds the handler of one middleware from its configuration and the next handler. One builder per
 * kind; a new middleware adds a class named after the Traefik middleware and one line in
 * {@link #FACTORY}. {@code chain} is expanded by the router builder, which detects recursion.
 */
public final class MiddlewareFactory {

    /** Builds one kind of middleware. */
    @FunctionalInterface
    public interface Builder<M extends Middleware> {
        Request.Handler build(M config, Request.Handler next, MiddlewareContext context);
    }

    private final Map<Class<? extends Middleware>, Builder<? extends Middleware>> builders = new HashMap<>();

    /** The middlewares Switchboard builds. */
    public static final MiddlewareFactory FACTORY = new MiddlewareFactory()
            .register(Middleware.StripPrefix.class, (c, next, ctx) -> new StripPrefix(c, next))
            .register(Middleware.StripPrefixRegex.class, (c, next, ctx) -> new StripPrefixRegex(c, next))
            .register(Middleware.AddPrefix.class, (c, next, ctx) -> new AddPrefix(c, next))
            .register(Middleware.ReplacePath.class, (c, next, ctx) -> new ReplacePath(c, next))
            .register(Middleware.ReplacePathRegex.class, (c, next, ctx) -> new ReplacePathRegex(c, next))
            .register(Middleware.Headers.class, (c, next, ctx) -> new Headers(c, next))
            .register(Middleware.BasicAuth.class, (c, next, ctx) -> new BasicAuth(c, next))
            .register(Middleware.ForwardAuth.class, (c, next, ctx) -> new ForwardAuth(c, next))
            .register(Middleware.IpAllowList.class, (c, next, ctx) -> new IpAllowList(c, next))
            .register(Middleware.RateLimit.class, (c, next, ctx) -> new RateLimit(c, next))
            .register(Middleware.InFlightReq.class, (c, next, ctx) -> new InFlightReq(c, next))
            .register(Middleware.CircuitBreaker.class, (c, next, ctx) -> new CircuitBreaker(c, next))
            .register(Middleware.Buffering.class, (c, next, ctx) -> new Buffering(c, next))
            .register(Middleware.RedirectScheme.class, (c, next, ctx) -> new RedirectScheme(c, next))
            .register(Middleware.RedirectRegex.class, (c, next, ctx) -> new RedirectRegex(c, next))
            .register(Middleware.Errors.class, Errors::new)
            .register(Middleware.ContentType.class,
                    (c, next, ctx) -> Boolean.FALSE.equals(c.autoDetect()) ? next : new ContentType(next))
            .register(Middleware.Compress.class, (c, next, ctx) -> new Compress(c, next))
            .register(Middleware.Cache.class, (c, next, ctx) -> new Cache(c, next))
            .register(Middleware.Retry.class, (c, next, ctx) -> new Retry(c, next));

    private <M extends Middleware> MiddlewareFactory register(Class<M> type, Builder<M> builder) {
        builders.put(type, builder);
        return this;
    }

    /** Whether this factory builds middlewares of {@code type} (the internal provider asks before using one). */
    public boolean supports(Class<? extends Middleware> type) {
        return builders.containsKey(type);
    }

    /** Builds {@code config} in front of {@code next}; {@link ConfigException} when it cannot be built. */
    @SuppressWarnings("unchecked")
    public <M extends Middleware> Request.Handler build(M config, Request.Handler next, MiddlewareContext context) {
        Builder<M> builder = (Builder<M>) builders.get(config.getClass());
        if (builder == null) {
            throw new ConfigException("the " + config.kind() + " middleware is not built into this Switchboard yet");
        }
        return builder.build(config, next, context);
    }
}
