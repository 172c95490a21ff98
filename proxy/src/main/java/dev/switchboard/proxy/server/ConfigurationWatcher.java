package dev.switchboard.proxy.server;

import dev.switchboard.proxy.provider.Provider;
import dev.switchboard.proxy.provider.ProviderConfig;
import dev.switchboard.proxy.runtime.Reload;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * <p>Throttling: a change applies at once when the last apply is older than
 * {@code providersThrottleDuration}; otherwise it waits for the end of that window, and every change
 * that arrives meanwhile is applied together. Traefik waits 2 s per provider; the default here is
 * 100 ms.
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
    private final Set<String> changed = new HashSet<>();
    private final List<Consumer<Reload>> listeners = new CopyOnWriteArrayList<>();
    private CompiledConfig compiled;
    private volatile RuntimeConfiguration runtime = RuntimeConfiguration.merge(List.of());
    private volatile Reload lastReload;
    private long lastApplyNanos = Long.MIN_VALUE / 2;
    private boolean scheduled;
    private Set<String> loggedProblems = Set.of();

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

    /** Takes a provider's new configuration; applies it after the throttle window. Any thread. */
    @Override
    public void update(ProviderConfig config) {
        thread.execute(() -> {
            current.put(config.provider(), config);
            changed.add(config.provider());
            long wait = lastApplyNanos + throttle.toNanos() - System.nanoTime();
            if (wait <= 0) {
                apply();
            } else if (!scheduled) {
                scheduled = true;
                thread.schedule(this::apply, wait, TimeUnit.NANOSECONDS);
            }
        });
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

    /** Applies what is pending now and waits for it: used at start-up so the proxy starts configured. */
    public void applyPending() throws InterruptedException {
        try {
            thread.submit(() -> {
                if (!changed.isEmpty()) {
                    apply();
                }
            }).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not apply the initial configuration", e);
        }
    }

    private void apply() {
        scheduled = false;
        if (changed.isEmpty()) {
            return;
        }
        List<String> providers = new ArrayList<>(changed);
        changed.clear();
        lastApplyNanos = System.nanoTime();
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
