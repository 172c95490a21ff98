package dev.switchboard.proxy.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.config.ConfigMapper;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.StaticConfigLoader;
import dev.switchboard.proxy.config.dynamic.DynamicConfig;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.middleware.MiddlewareContext;
import dev.switchboard.proxy.middleware.MiddlewareFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Request;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in docs/reference/middlewares.md and tls.md goes through the proxy's own parsers:
 * YAML (dynamic, or static when it has entryPoints), labels ({@code properties} blocks, after
 * Compose's {@code $$} unescaping) and flags ({@code text} blocks of {@code --} lines). Middleware
 * examples are also built, so an invalid option or regular expression in the docs fails here.
 */
class ReferenceDocsExamplesTest {
    private static final Path DOCS = Path.of("..", "docs", "reference");
    private static final Pattern BLOCK = Pattern.compile("```(yaml|properties|text)\\n(.*?)```", Pattern.DOTALL);

    static Stream<Arguments> examples() throws Exception {
        List<Arguments> all = new ArrayList<>();
        for (String page : List.of("middlewares.md", "tls.md")) {
            String text = Files.readString(DOCS.resolve(page));
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                all.add(Arguments.of(page + ":" + line, m.group(1), m.group(2)));
            }
        }
        assertTrue(all.size() > 40, "the pages have their examples: " + all.size());
        return all.stream();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("examples")
    void exampleParses(String where, String kind, String body) throws Exception {
        switch (kind) {
            case "yaml" -> {
                if (body.startsWith("entryPoints:")) {
                    Path file = Files.createTempFile("static", ".yml");
                    Files.writeString(file, body);
                    assertNotNull(StaticConfigLoader.load(List.of("--configFile=" + file)));
                } else {
                    build(ConfigMapper.readString(body, ConfigMapper.Format.YAML, where, DynamicConfig.class));
                }
            }
            case "properties" -> build(labels(body));
            case "text" -> {
                List<String> flags = Arrays.stream(body.split("\n")).map(String::trim).filter(l -> l.startsWith("--")).toList();
                if (!flags.isEmpty()) {
                    StaticConfig config = StaticConfigLoader.load(flags);
                    assertFalse(config.entryPoints().isEmpty());
                }
            }
            default -> throw new IllegalStateException(kind);
        }
    }

    /** Labels as the Docker provider reads them: {@code traefik.} then a dotted path. */
    @SuppressWarnings("unchecked")
    private static DynamicConfig labels(String body) {
        Map<String, Object> tree = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).replace("$$", "$");
            assertTrue(key.startsWith("traefik."), line);
            String[] path = key.substring("traefik.".length()).split("\\.");
            Map<String, Object> node = tree;
            for (int i = 0; i < path.length - 1; i++) {
                Object child = node.get(path[i]);
                if (!(child instanceof Map)) {
                    child = new TreeMap<String, Object>(String.CASE_INSENSITIVE_ORDER);
                    node.put(path[i], child);
                }
                node = (Map<String, Object>) child;
            }
            if (!(node.get(path[path.length - 1]) instanceof Map)) {
                node.put(path[path.length - 1], value);
            }
        }
        return ConfigMapper.fromTree(tree, DynamicConfig.class, "label", p -> "traefik." + String.join(".", p));
    }

    private static void build(DynamicConfig config) {
        Request.Handler next = (request, response, callback) -> true;
        MiddlewareContext context = new MiddlewareContext() {
            @Override
            public String middlewareName() {
                return "example@docs";
            }

            @Override
            public String routerName() {
                return "example@docs";
            }

            @Override
            public Request.Handler service(String name) {
                return next;
            }

            @Override
            public void onClose(AutoCloseable resource) {
            }
        };
        for (Middleware m : config.http().middlewares().values()) {
            if (!(m instanceof Middleware.Chain)) {
                assertNotNull(MiddlewareFactory.FACTORY.build(m, next, context), m.kind());
            }
        }
    }
}
