package dev.switchboard.proxy.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the runtime knows of one router, service or middleware beyond its configuration: qualified
 * name, provider, where it was written, errors and status, and who uses it. Errors are data: a
 * broken element is disabled and keeps its errors for the API and dashboard, while the rest serves.
 *
 * @param <C> the configuration record
 */
public abstract class ElementInfo<C> {
    private final String name;
    private final String provider;
    private final C config;
    private final String source;
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> usedBy = Collections.synchronizedSet(new TreeSet<>());
    private volatile Status status = Status.ENABLED;

    protected ElementInfo(String name, String provider, C config, String source) {
        this.name = name;
        this.provider = provider;
        this.config = config;
        this.source = source;
    }

    /** The qualified name, {@code name@provider}. */
    public String name() {
        return name;
    }

    public String provider() {
        return provider;
    }

    public C config() {
        return config;
    }

    /** Where it was defined ({@code dynamic.yml:12}, a container name), or null. */
    public String source() {
        return source;
    }

    public List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    public Status status() {
        return status;
    }

    public Set<String> usedBy() {
        synchronized (usedBy) {
            return Set.copyOf(usedBy);
        }
    }

    public void usedBy(String router) {
        usedBy.add(router);
    }

    /** Records an error that stops the element from serving. */
    public void disable(String error) {
        if (!errors.contains(error)) {
            errors.add(error);
        }
        status = Status.DISABLED;
    }

    /** Records a problem that does not stop the element from serving. */
    public void warn(String warning) {
        if (!errors.contains(warning)) {
            errors.add(warning);
        }
        if (status == Status.ENABLED) {
            status = Status.WARNING;
        }
    }

    public boolean isDisabled() {
        return status == Status.DISABLED;
    }

    /** The element's kind for messages: router, service or middleware. */
    public abstract String kind();

    /** {@code router "app1@file" (dynamic.yml:5)}: how logs name the element. */
    public String describe() {
        return kind() + " \"" + name + "\"" + (source == null ? "" : " (" + source + ")");
    }
}
