package dev.switchboard.proxy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The line each key of a configuration file is on, so that errors found after parsing (a bad
 * rule, an unknown service) can still name {@code file:line}. Keys are compared in lower case.
 */
public final class LocationIndex {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final TomlFactory TOML = new TomlFactory();

    private final String file;
    private final Map<List<String>, Integer> lines;

    private LocationIndex(String file, Map<List<String>, Integer> lines) {
        this.file = file;
        this.lines = lines;
    }

    /** Indexes {@code text}; a file that does not parse gives an empty index (the parse error is reported elsewhere). */
    public static LocationIndex of(String file, String text, ConfigMapper.Format format) {
        Map<List<String>, Integer> lines = new HashMap<>();
        try (JsonParser p = (format == ConfigMapper.Format.YAML ? YAML : TOML).createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    int line = p.currentTokenLocation().getLineNr();
                    if (line > 0) {
                        lines.putIfAbsent(path(p.getParsingContext()), line);
                    }
                }
            }
        } catch (Exception e) {
            // Parse errors are reported by the binding step with their own location.
        }
        return new LocationIndex(file, lines);
    }

    private static List<String> path(JsonStreamContext ctx) {
        List<String> path = new ArrayList<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            path.add(c.inObject() ? String.valueOf(c.getCurrentName()).toLowerCase(Locale.ROOT) : "[" + c.getCurrentIndex() + "]");
        }
        Collections.reverse(path);
        return path;
    }

    /** {@code file:line} of the key at {@code path}, or just the file when the line is unknown. */
    public String locate(String... path) {
        List<String> key = new ArrayList<>();
        for (String p : path) {
            key.add(p.toLowerCase(Locale.ROOT));
        }
        Integer line = lines.get(key);
        return line == null ? file : file + ":" + line;
    }
}
