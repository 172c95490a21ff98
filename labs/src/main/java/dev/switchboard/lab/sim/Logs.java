package dev.switchboard.lab.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Every container's output, as {@code docker compose logs} shows it: kept per container (the last
 * lines in memory, all of them in {@code <dir>/<container>.log}) and passed to listeners, such as
 * the foreground {@code lab up} printing {@code app1-1  | ...}.
 */
public final class Logs {
    private static final int KEEP = 2000;

    private final Path dir;
    private final Map<String, Deque<String>> recent = new ConcurrentHashMap<>();
    private final Map<String, Writer> files = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();

    public Logs(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Listens to every line: (container, line). */
    public void listen(BiConsumer<String, String> listener) {
        listeners.add(listener);
    }

    public void line(String container, String line) {
        Deque<String> lines = recent.computeIfAbsent(container, c -> new ArrayDeque<>());
        synchronized (lines) {
            lines.addLast(line);
            if (lines.size() > KEEP) {
                lines.removeFirst();
            }
        }
        Writer w = files.computeIfAbsent(container, this::open);
        if (w != null) {
            synchronized (w) {
                try {
                    w.write(line);
                    w.write('\n');
                    w.flush();
                } catch (IOException e) {
                    // a full disk must not stop the lab
                }
            }
        }
        for (BiConsumer<String, String> l : listeners) {
            l.accept(container, line);
        }
    }

    private Writer open(String container) {
        try {
            return Files.newBufferedWriter(dir.resolve(container + ".log"), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            return null;
        }
    }

    /** The kept lines of containers whose name starts with {@code prefix} ("" for all), oldest first. */
    public List<String> recent(String container) {
        Deque<String> lines = recent.get(container);
        if (lines == null) {
            return List.of();
        }
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    public List<String> containers() {
        return new ArrayList<>(recent.keySet());
    }

    /** Pumps a process stream into the container's log on a daemon thread. */
    public Thread pump(String container, InputStream in) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    line(container, l);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "logs-" + container);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public Path directory() {
        return dir;
    }
}
