package dev.switchboard.proxy.provider;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.ConfigMapper;
import dev.switchboard.proxy.config.LocationIndex;
import dev.switchboard.proxy.config.OptionOrigins;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.dynamic.DynamicConfig;
import dev.switchboard.proxy.config.dynamic.HttpConfig;
import dev.switchboard.proxy.config.dynamic.TlsConfig;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traefik's file provider: dynamic configuration from one YAML/TOML file ({@code filename}) or
 * every such file under a directory ({@code directory}, read recursively, in name order; an element
 * defined twice keeps its first definition, as in Traefik). With {@code watch} (the default) a
 * change applies without restart, about 50 ms after the last write; a file that does not parse is
 * reported with file, line and column and the previous configuration keeps serving.
 */
public final class FileProvider implements Provider {
    public static final String NAME = "file";
    private static final Logger LOG = LoggerFactory.getLogger(FileProvider.class);
    private static final long SETTLE_MILLIS = 50;

    private final StaticConfig.FileProvider config;
    private final Path root;
    private volatile boolean running;
    private WatchService watcher;
    private Thread watchThread;
    private DynamicConfig lastDelivered;

    public FileProvider(StaticConfig.FileProvider config) {
        this.config = config;
        boolean single = config.filename() != null && !config.filename().isBlank();
        this.root = Path.of(single ? config.filename() : config.directory()).toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Starts reading and watching. When the file or directory does not exist, the provider does not
     * start, as Traefik v3.2's ({@code Cannot start the provider *file.Provider}, from
     * {@code pkg/provider/file} and the provider aggregator): the error is logged with the path and
     * the likely cause, and the other providers keep serving. A later fix needs a restart, as there.
     */
    @Override
    public void start(Listener listener) throws IOException {
        String missing = missingPath();
        if (missing != null) {
            LOG.error("Cannot start the provider file: {}; the other providers keep serving, without this provider's "
                    + "routers, services and middlewares", missing);
            return;
        }
        running = true;
        load(listener);
        if (config.watch()) {
            watcher = FileSystems.getDefault().newWatchService();
            Path dir = isSingleFile() ? root.getParent() : root;
            if (!Files.isDirectory(dir)) {
                throw new ConfigException("--providers.file: " + dir + " is not a directory");
            }
            registerTree(dir);
            watchThread = new Thread(() -> watch(listener), "file-provider-watch");
            watchThread.setDaemon(true);
            watchThread.start();
        }
    }

    /**
     * Why the configured file or directory cannot be read at start, or null when it can: names the
     * path, the flag, and the usual cause in a container (the volume that should bring it is not
     * mounted, or mounted elsewhere).
     */
    String missingPath() {
        String flag = isSingleFile() ? "--providers.file.filename=" + config.filename()
                : "--providers.file.directory=" + config.directory();
        String mount = "in a container this is usually a volume that is not mounted or mounted elsewhere: check the proxy's "
                + "volumes (compose: volumes: - ./" + root.getFileName() + ":" + root + ") and that the source exists on the host";
        if (isSingleFile()) {
            if (Files.isDirectory(root)) {
                return "unable to read file " + root + " (" + flag + "): it is a directory: use --providers.file.directory="
                        + root + ", or name a file in it";
            }
            if (!Files.exists(root)) {
                return "unable to read file " + root + " (" + flag + "): no such file; " + mount;
            }
            return null;
        }
        if (Files.isRegularFile(root)) {
            return "unable to read directory " + root + " (" + flag + "): it is a file: use --providers.file.filename=" + root;
        }
        if (!Files.isDirectory(root)) {
            return "unable to read directory " + root + " (" + flag + "): no such directory; " + mount;
        }
        return null;
    }

    private boolean isSingleFile() {
        return config.filename() != null && !config.filename().isBlank();
    }

    private void registerTree(Path dir) throws IOException {
        if (isSingleFile()) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            return;
        }
        try (Stream<Path> dirs = Files.walk(dir)) {
            for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void watch(Listener listener) {
        while (running) {
            try {
                WatchKey key = watcher.take();
                boolean relevant = relevant(key);
                // Let the writer finish (editors write in several steps), then gather what followed.
                WatchKey more;
                while ((more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    relevant |= relevant(more);
                }
                if (relevant) {
                    if (!isSingleFile()) {
                        registerTree(root);
                    }
                    load(listener);
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("file provider: watching {} failed: {}", root, e.toString());
            }
        }
    }

    private boolean relevant(WatchKey key) {
        boolean relevant = false;
        Path dir = (Path) key.watchable();
        for (var event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                relevant = true;
                continue;
            }
            Path changed = dir.resolve((Path) event.context());
            relevant |= isSingleFile() ? changed.equals(root) : (Files.isDirectory(changed) || ConfigMapper.Format.of(changed).isPresent());
        }
        key.reset();
        return relevant;
    }

    /** Reads the configuration and delivers it if it changed; reports a failure instead. */
    synchronized void load(Listener listener) {
        try {
            ProviderConfig read = read();
            if (!read.config().equals(lastDelivered)) {
                lastDelivered = read.config();
                listener.update(read);
            }
        } catch (ConfigException e) {
            listener.failed(NAME, e.getMessage());
        }
    }

    private ProviderConfig read() {
        List<Path> files = new ArrayList<>();
        if (isSingleFile()) {
            if (!Files.isRegularFile(root)) {
                throw new ConfigException(root + ": no such file (--providers.file.filename)");
            }
            files.add(root);
        } else {
            if (!Files.isDirectory(root)) {
                throw new ConfigException(root + ": no such directory (--providers.file.directory)");
            }
            try (Stream<Path> all = Files.walk(root)) {
                all.filter(Files::isRegularFile).filter(f -> ConfigMapper.Format.of(f).isPresent()).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new ConfigException(root + ": cannot list: " + e.getMessage(), e);
            }
        }
        Map<String, Object> routers = new LinkedHashMap<>();
        Map<String, Object> services = new LinkedHashMap<>();
        Map<String, Object> middlewares = new LinkedHashMap<>();
        Map<String, Object> transports = new LinkedHashMap<>();
        List<TlsConfig.Certificate> certificates = new ArrayList<>();
        Map<String, TlsConfig.Store> stores = new LinkedHashMap<>();
        Map<String, TlsConfig.Options> options = new LinkedHashMap<>();
        Map<String, String> sources = new HashMap<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
            }
            ConfigMapper.Format format = ConfigMapper.Format.of(file).orElseThrow();
            String display = displayName(file);
            DynamicConfig dc = ConfigMapper.readString(text, format, display, DynamicConfig.class);
            LocationIndex where = LocationIndex.of(display, text, format);
            warnLaterOptions(text, format, display, where);
            HttpConfig http = dc.http();
            mergeSection("routers", http.routers(), routers, where, sources, display);
            mergeSection("services", http.services(), services, where, sources, display);
            mergeSection("middlewares", http.middlewares(), middlewares, where, sources, display);
            mergeSection("serversTransports", http.serversTransports(), transports, where, sources, display);
            certificates.addAll(dc.tls().certificates());
            dc.tls().stores().forEach(stores::putIfAbsent);
            dc.tls().options().forEach(options::putIfAbsent);
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        HttpConfig http = new HttpConfig((Map) routers, (Map) services, (Map) middlewares, (Map) transports);
        DynamicConfig merged = new DynamicConfig(http, new TlsConfig(certificates, stores, options));
        return new ProviderConfig(NAME, merged, (section, name) -> sources.get(section + "/" + name));
    }

    /** One WARN per option Traefik v3.2 does not know, naming file and line ({@link OptionOrigins}). */
    private static void warnLaterOptions(String text, ConfigMapper.Format format, String display, LocationIndex where) {
        Object tree = ConfigMapper.readString(text, format, display, Map.class);
        if (tree instanceof Map<?, ?> root && root.get("http") instanceof Map<?, ?> http) {
            OptionOrigins.checkTree("dynamic:", http, path -> {
                List<String> full = new ArrayList<>(List.of("http"));
                full.addAll(path);
                return where.locate(full.toArray(String[]::new));
            });
        }
    }

    /** The file as a person would type it: relative to the working directory when under it. */
    static String displayName(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        return file.startsWith(cwd) ? cwd.relativize(file).toString() : file.toString();
    }

    private static void mergeSection(String section, Map<String, ?> from, Map<String, Object> into, LocationIndex where,
            Map<String, String> sources, String file) {
        from.forEach((name, value) -> {
            if (into.containsKey(name)) {
                LOG.warn("{}: {} \"{}\" is already defined in {}; this definition is skipped", where.locate("http", section, name),
                        section.substring(0, section.length() - 1), name, sources.get(section + "/" + name));
                return;
            }
            into.put(name, value);
            sources.put(section + "/" + name, where.locate("http", section, name));
        });
    }

    @Override
    public void close() {
        running = false;
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // closing
            }
        }
        if (watchThread != null) {
            watchThread.interrupt();
        }
    }
}
