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
            .register(Middleware.Retry.class, (c, next, ctx) -> new Retry(c, next));

    private <M extends Middleware> MiddlewareFactory register(Class<M> type, Builder<M> builder) {
        builders.put(type, builder);
        return this;
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
