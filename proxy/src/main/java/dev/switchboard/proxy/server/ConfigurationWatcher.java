package dev.switchboard.proxy.server;

import dev.switchboard.proxy.internal.InternalProvider;
import dev.switchboard.proxy.provider.Provider;
import dev.switchboard.proxy.provider.ProviderConfig;
import dev.switchboard.proxy.runtime.Reload;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers what providers send and applies it: merge, compile, swap every entry point's routers at
 * once, close what the previous configuration held. One thread does all of it, so applies never
 * overlap.
 *
 * <p>As Traefik v3.2 does it ({@code pkg/provider/aggregator}, {@code pkg/server/configurationwatcher.go}):
 * each provider is throttled on its own: its first configuration after a quiet
 * {@code providersThrottleDuration} goes through at once, and what it sends within that time after
 * waits until the time is over, only the latest being kept (the internal provider is never
 * throttled). A configuration equal to the one the provider sent before is skipped, so it neither
 * recompiles nor restarts health checks.
 */
public final class ConfigurationWatcher implements Provider.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationWatcher.class);

    private final RouterFactory compiler;
    private final EntryPoints entryPoints;
    private final Consumer<CompiledConfig> onCompiled;
    private final Duration throttle;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "config-watcher");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ProviderConfig> current = new LinkedHashMap<>();
    private final Map<String, Throttle> throttles = new HashMap<>();
    private final Set<String> changed = new HashSet<>();
    private final List<Consumer<Reload>> listeners = new CopyOnWriteArrayList<>();
    private CompiledConfig compiled;
    private volatile RuntimeConfiguration runtime = RuntimeConfiguration.merge(List.of());
    private volatile Reload lastReload;
    private boolean started;
    private Set<String> loggedProblems = Set.of();

    /** One provider's throttle: when it last went through, and what waits for its time to be over. */
    private static final class Throttle {
        long lastNanos;
        ProviderConfig waiting;
    }

    public ConfigurationWatcher(RouterFactory compiler, EntryPoints entryPoints, Duration throttle,
            Consumer<CompiledConfig> onCompiled) {
        this.compiler = compiler;
        this.entryPoints = entryPoints;
        this.throttle = throttle;
        this.onCompiled = onCompiled;
    }

    /** Listens to every apply, successful or not. */
    public void onReload(Consumer<Reload> listener) {
        listeners.add(listener);
    }

    /** The configuration now serving. */
    public RuntimeConfiguration runtime() {
        return runtime;
    }

    /** The last apply or failed read, or null before the first. */
    public Reload lastReload() {
        return lastReload;
    }

    /** Takes a provider's new configuration; applies it when the provider's throttle lets it through. Any thread. */
    @Override
    public void update(ProviderConfig config) {
        thread.execute(() -> {
            String provider = config.provider();
            Duration wait = provider.equals(InternalProvider.NAME) ? Duration.ZERO : throttle;
            Throttle t = throttles.get(provider);
            long now = System.nanoTime();
            if (t == null || now - t.lastNanos >= wait.toNanos()) {
                if (t == null) {
                    t = new Throttle();
                    throttles.put(provider, t);
                }
                t.lastNanos = now;
                t.waiting = null;
                receive(config);
            } else if (t.waiting == null) {
                t.waiting = config;
                Throttle waiting = t;
                thread.schedule(() -> {
                    waiting.lastNanos = System.nanoTime();
                    ProviderConfig latest = waiting.waiting;
                    waiting.waiting = null;
                    receive(latest);
                }, t.lastNanos + wait.toNanos() - now, TimeUnit.NANOSECONDS);
            } else {
                t.waiting = config; // only the latest is kept
            }
        });
    }

    /** A provider's configuration got through its throttle: applied unless unchanged. */
    private void receive(ProviderConfig config) {
        ProviderConfig before = current.get(config.provider());
        if (before != null && before.config().equals(config.config())) {
            LOG.debug("provider {}: configuration unchanged, skipped", config.provider());
            Reload last = lastReload;
            if (last != null && !last.success() && last.providers().contains(config.provider())) {
                // Its previous read failed and it is back to what serves: say so.
                publish(new Reload(Instant.now(), List.of(config.provider()), true, runtime.problems(), runtime));
            }
            return;
        }
        current.put(config.provider(), config);
        changed.add(config.provider());
        if (started) {
            apply();
        }
    }
    /**
     * A provider could not read its configuration (the message names file and line); the previous
     * configuration keeps serving. Recorded as a failed reload.
     */
    @Override
    public void failed(String provider, String message) {
        thread.execute(() -> {
            LOG.error("provider {}: {}; the previous configuration keeps serving", provider, message);
            publish(new Reload(Instant.now(), List.of(provider), false, List.of(message), runtime));
        });
    }

    /**
     * Applies what the providers sent so far, at once, and from now on every change as it gets
     * through: used at start-up so the proxy starts configured with one compilation.
     */
    public void applyPending() throws InterruptedException {
        try {
            thread.submit(() -> {
                started = true;
                apply();
            }).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not apply the initial configuration", e);
        }
    }

    private void apply() {
        if (changed.isEmpty()) {
            return;
        }
        List<String> providers = new ArrayList<>(changed);
        changed.clear();
        try {
            RuntimeConfiguration rt = RuntimeConfiguration.merge(current.values());
            CompiledConfig next = compiler.compile(rt);
            entryPoints.apply(next);
            CompiledConfig previous = compiled;
            compiled = next;
            runtime = rt;
            onCompiled.accept(next);
            if (previous != null) {
                previous.close();
            }
            logProblems(rt);
            LOG.debug("configuration from {} applied: {} routers, {} services, {} middlewares", providers,
                    rt.routers().size(), rt.services().size(), rt.middlewares().size());
            publish(new Reload(Instant.now(), providers, true, rt.problems(), rt));
        } catch (RuntimeException e) {
            LOG.error("applying the configuration from {} failed; the previous configuration keeps serving", providers, e);
            publish(new Reload(Instant.now(), providers, false, List.of(String.valueOf(e.getMessage())), runtime));
        }
    }

    /** Logs each problem once, when it appears, not at every reload. */
    private void logProblems(RuntimeConfiguration rt) {
        Set<String> now = new HashSet<>(rt.problems());
        for (String p : rt.problems()) {
            if (!loggedProblems.contains(p)) {
                LOG.error("{}", p);
            }
        }
        loggedProblems = now;
    }

    private void publish(Reload reload) {
        lastReload = reload;
        for (Consumer<Reload> l : listeners) {
            try {
                l.accept(reload);
            } catch (RuntimeException e) {
                LOG.warn("reload listener failed", e);
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        if (compiled != null) {
            compiled.close();
        }
    }
}
