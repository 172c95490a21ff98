package dev.switchboard.proxy.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each option comes from: Traefik v3.2 (the course's Traefik), a later Traefik version, or
 * Switchboard only. The registry is {@code option-origins.tsv} beside this class; it lists the
 * options Traefik v3.2 does not know, and the reference docs' "from" columns are checked against it
 * ({@code OptionOriginsDocsTest}).
 *
 * <p>Under the {@code traefik} profile (the default), an option v3.2 does not know logs one WARN
 * the first time it is set, naming where (flag, file:line, label) and the version that added it,
 * so that a student learns it before moving to {@code traefik:v3.2}, which refuses it.
 */
public final class OptionOrigins {
    private static final Logger LOG = LoggerFactory.getLogger(OptionOrigins.class);
    public static final String V3_2 = "Traefik v3.2";

    /** One row of the registry. */
    public record Entry(String page, String name, String from, List<String> match) {
        /** The page file, without a {@code #heading} part. */
        public String pageFile() {
            int hash = page.indexOf('#');
            return hash < 0 ? page : page.substring(0, hash);
        }

        /** The words a heading above the row must contain, or "". */
        public String heading() {
            int hash = page.indexOf('#');
            return hash < 0 ? "" : page.substring(hash + 1);
        }
    }

    private static final List<Entry> ENTRIES = load();
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static volatile boolean warnLaterOptions = true;

    private OptionOrigins() {
    }

    private static List<Entry> load() {
        try (InputStream in = OptionOrigins.class.getResourceAsStream("option-origins.tsv")) {
            if (in == null) {
                throw new IllegalStateException("option-origins.tsv is missing from the classpath");
            }
            List<Entry> entries = new ArrayList<>();
            boolean header = true;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] cols = line.split("\t", -1);
                List<String> match = cols.length < 4 || cols[3].isBlank() ? List.of() : List.of(cols[3].trim().split("\\s*,\\s*"));
                entries.add(new Entry(cols[0].trim(), cols[1].trim(), cols[2].trim(), match));
            }
            return List.copyOf(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }

    /**
     * Whether to warn about options v3.2 does not know: on under the {@code traefik} profile, off
     * under {@code switchboard}; {@link StaticConfigLoader} sets it from the profile it loads (on by
     * default).
     */
    public static void warnLaterOptions(boolean on) {
        warnLaterOptions = on;
    }

    /**
     * Forgets which options were warned about, and warns again (a switchboard-profile load may have
     * turned warnings off), so that a test sees the warning whatever ran before.
     */
    static void forgetWarnings() {
        WARNED.clear();
        warnLaterOptions = true;
    }

    /** The origin of the option at {@code key} ({@code static:api.basepath}, {@code dynamic:services.x.loadbalancer.strategy}), if v3.2 lacks it. */
    public static Optional<Entry> lookup(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (Entry e : ENTRIES) {
            for (String m : e.match()) {
                if (matches(m, k)) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String pattern, String key) {
        String[] p = pattern.split("\\.", -1);
        String[] k = key.split("\\.", -1);
        if (p.length != k.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (!p[i].equals("*") && !p[i].equals(k[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Logs one WARN if the option at {@code key} is not Traefik v3.2's, the first time it is set in
     * this process. {@code where} says where it was set: {@code flag --api.basePath},
     * {@code dynamic.yml:12}, {@code label traefik.docker.allowNonRunning of container demo-app1-1}.
     */
    public static void check(String key, String where) {
        if (!warnLaterOptions) {
            return;
        }
        lookup(key).ifPresent(e -> {
            if (WARNED.add(e.name() + "|" + e.from())) {
                String later = e.from().equals("Switchboard only") ? "is Switchboard only: no Traefik version has it"
                        : "was added in " + e.from() + ": Traefik v3.2 refuses it";
                LOG.warn("{}: {} {}; it works here, but not on the course's traefik:v3.2 "
                        + "(SWITCHBOARD_PROFILE=switchboard silences this warning)", where, e.name(), later);
            }
        });
    }

    /** Checks every leaf of a configuration tree ({@code Map}s of {@code Map}s) under {@code prefix}. */
    public static void checkTree(String prefix, Map<?, ?> tree, java.util.function.Function<List<String>, String> where) {
        walk(prefix, new ArrayList<>(), tree, where);
    }

    private static void walk(String prefix, List<String> path, Object node, java.util.function.Function<List<String>, String> where) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                path.add(String.valueOf(e.getKey()));
                check(prefix + String.join(".", path), where.apply(path));
                walk(prefix, path, e.getValue(), where);
                path.remove(path.size() - 1);
            }
        } else if (node != null && !(node instanceof List)) {
            check("value:" + prefix.substring(prefix.indexOf(':') + 1) + String.join(".", path) + "=" + node, where.apply(path));
        }
    }
}
