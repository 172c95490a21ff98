package dev.switchboard.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML anchors, aliases and merge keys ({@code &srv}, {@code *srv}, {@code <<: *defaults}), which
 * Traefik's file provider resolves (Go's yaml.v3) and Jackson's YAML reader leaves as they are. A
 * document that uses an alias is composed by SnakeYAML (aliases become the anchored node; at most
 * 50 aliases of collections, SnakeYAML's guard against alias bombs) and handed to the binder as a
 * tree; documents without aliases are read as before, keeping exact error locations.
 */
final class YamlAliases {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlAliases() {
    }

    /** Whether {@code text} uses an alias (a cheap event scan; an unparsable text says no and fails later with its location). */
    static boolean used(String text) {
        if (text.indexOf('*') < 0) {
            return false;
        }
        try {
            for (Event event : new Yaml(new LoaderOptions()).parse(new StringReader(text))) {
                if (event instanceof AliasEvent) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            return false;
        }
        return false;
    }

    /** The document as a tree with every alias and merge key resolved. */
    static JsonNode resolve(String text, String sourceName) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (RuntimeException e) {
            throw new ConfigException(sourceName + ": " + e.getMessage(), e);
        }
        return root == null ? NODES.objectNode() : convert(root, new IdentityHashMap<>(), sourceName);
    }

    private static JsonNode convert(Node node, IdentityHashMap<Node, Boolean> path, String sourceName) {
        if (path.put(node, Boolean.TRUE) != null) {
            throw new ConfigException(sourceName + ":" + (node.getStartMark().getLine() + 1)
                    + ": an alias refers to a node that contains it; a configuration cannot be recursive");
        }
        try {
            if (node instanceof MappingNode mapping) {
                Map<String, JsonNode> merged = new LinkedHashMap<>();
                Map<String, JsonNode> own = new LinkedHashMap<>();
                for (NodeTuple tuple : mapping.getValue()) {
                    Node key = tuple.getKeyNode();
                    if (key instanceof ScalarNode k && (Tag.MERGE.equals(k.getTag()) || "<<".equals(k.getValue()))) {
                        merge(tuple.getValueNode(), merged, path, sourceName);
                    } else {
                        own.put(key instanceof ScalarNode k ? k.getValue() : String.valueOf(key), convert(tuple.getValueNode(), path, sourceName));
                    }
                }
                ObjectNode object = NODES.objectNode();
                merged.forEach((k, v) -> {
                    if (!own.containsKey(k)) {
                        object.set(k, v);
                    }
                });
                own.forEach(object::set);
                return object;
            }
            if (node instanceof SequenceNode sequence) {
                ArrayNode array = NODES.arrayNode();
                sequence.getValue().forEach(item -> array.add(convert(item, path, sourceName)));
                return array;
            }
            return scalar((ScalarNode) node);
        } finally {
            path.remove(node);
        }
    }

    /** {@code <<: *a} or {@code <<: [*a, *b]}: the first mapping that has a key gives its value. */
    private static void merge(Node value, Map<String, JsonNode> into, IdentityHashMap<Node, Boolean> path, String sourceName) {
        if (value instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> merge(item, into, path, sourceName));
        } else if (convert(value, path, sourceName) instanceof ObjectNode object) {
            object.fields().forEachRemaining(e -> into.putIfAbsent(e.getKey(), e.getValue()));
        }
    }

    /**
     * A scalar as Jackson's YAML reader would give it: null, true/false, numbers; everything else a
     * string (no YAML 1.1 {@code yes}/{@code on} booleans, which Go's yaml.v3 does not read either).
     */
    private static JsonNode scalar(ScalarNode scalar) {
        String text = scalar.getValue();
        if (!scalar.isPlain()) {
            return NODES.textNode(text);
        }
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) {
            return NODES.nullNode();
        }
        if (Tag.BOOL.equals(tag) && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return NODES.booleanNode(text.toLowerCase(Locale.ROOT).equals("true"));
        }
        try {
            if (Tag.INT.equals(tag)) {
                return NODES.numberNode(Long.parseLong(text.replace("_", "")));
            }
            if (Tag.FLOAT.equals(tag)) {
                return NODES.numberNode(Double.parseDouble(text.replace("_", "")));
            }
        } catch (NumberFormatException e) {
            // 0x1f, 1:30, .inf: left as the text
        }
        return NODES.textNode(text);
    }
}
