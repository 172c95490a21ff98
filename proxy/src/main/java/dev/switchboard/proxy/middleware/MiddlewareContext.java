package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.Behaviour;
import org.eclipse.jetty.server.Request;

/**
 * What a middleware may need beyond its own configuration while it is built: its qualified name,
 * the router it serves, and a way to reach a service by name (for {@code errors} pages and the
 * like). Middlewares that keep state (rate limits, circuit breakers) get one instance per router,
 * as in Traefik.
 */
public interface MiddlewareContext {

    /** The middleware's qualified name, {@code name@provider}. */
    String middlewareName();

    /** The qualified name of the router being built. */
    String routerName();

    /**
     * The handler of service {@code name} (qualified, or relative to the middleware's provider);
     * throws {@link dev.switchboard.proxy.config.ConfigException} if there is none.
     */
    Request.Handler service(String name);

    /** Registers something to close when this configuration is replaced (timers, files). */
    void onClose(AutoCloseable resource);

    /** The profile and improvements in force, for middlewares whose behaviour differs by profile. */
    default Behaviour behaviour() {
        return Behaviour.TRAEFIK;
    }

    /** Records a problem that does not stop the middleware from serving (the API shows it as a warning). */
    default void warn(String warning) {
    }
}
