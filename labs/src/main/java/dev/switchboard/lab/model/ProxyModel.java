package dev.switchboard.lab.model;

import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.ListenAddress;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.StaticConfigLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy of a lab: its service's {@code command:} flags, checked once as the proxy will check
 * them (a flag it rejects is the compose file's mistake, whichever backend runs it), and what both
 * backends need to know from them: the entry points and their ports, whether the Docker provider
 * reads the engine, whether the dashboard is on.
 *
 * @param config the static configuration the flags give; empty when they name a {@code --configFile}
 *               inside the container, which only the proxy itself can read
 */
public record ProxyModel(String service, List<String> flags, Optional<StaticConfig> config) {
    /** Where Traefik (and Switchboard) read the Docker engine by default. */
    public static final String DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

    static ProxyModel of(ComposeFile.Service s) {
        List<String> flags = List.copyOf(s.command());
        try {
            return new ProxyModel(s.name(), flags, Optional.of(StaticConfigLoader.load(flags)));
        } catch (ConfigException e) {
            if (flags.stream().anyMatch(f -> f.toLowerCase(Locale.ROOT).startsWith("--configfile"))) {
                return new ProxyModel(s.name(), flags, Optional.empty()); // a file inside the container: checked when it starts
            }
            throw new ComposeException(s.where() + ": service " + s.name() + ": command: " + e.getMessage());
        }
    }

    /** The entry points by name, with the container port each listens on ({@code web} → 80). */
    public Map<String, Integer> entryPoints() {
        Map<String, Integer> out = new LinkedHashMap<>();
        config.ifPresent(c -> c.entryPoints().forEach((name, ep) -> out.put(name, ListenAddress.parse(ep.address(), name).port())));
        return out;
    }

    /** Whether the Docker provider is on. */
    public boolean dockerProvider() {
        return config.map(c -> c.providers().docker() != null).orElse(false);
    }

    /** Whether the Docker provider reads the engine through the default socket, which must then be mounted. */
    public boolean readsDefaultDockerSocket() {
        return config.map(c -> c.providers().docker() != null
                && c.providers().docker().endpoint().equals("unix://" + DEFAULT_DOCKER_SOCKET)).orElse(false);
    }

    /** Whether {@code --api.insecure} serves the dashboard and API on port 8080. */
    public boolean dashboard() {
        return flags.stream().anyMatch(f -> f.toLowerCase(Locale.ROOT).matches("--api\\.insecure(=true)?"));
    }

    /**
     * The flags with the Docker provider narrowed to one compose project: the provider reads every
     * container of the engine, so on a shared engine a proxy would otherwise route to another
     * project's replicas. A constraint of the file's own is kept, joined with {@code &&}.
     * Without the Docker provider the flags are returned unchanged.
     */
    public List<String> flagsSeeingOnly(String project) {
        if (!dockerProvider()) {
            return flags;
        }
        String own = "Label(`com.docker.compose.project`,`" + project + "`)";
        String theirs = config.orElseThrow().providers().docker().constraints();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < flags.size(); i++) {
            String f = flags.get(i).toLowerCase(Locale.ROOT);
            if (f.startsWith("--providers.docker.constraints=")) {
                continue;
            }
            if (f.equals("--providers.docker.constraints")) {
                i++; // its value follows
                continue;
            }
            out.add(flags.get(i));
        }
        out.add("--providers.docker.constraints=" + (theirs == null || theirs.isBlank() ? own : "(" + theirs + ") && " + own));
        return out;
    }
}
