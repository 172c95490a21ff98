package dev.switchboard.proxy.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.config.dynamic.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Binds Traefik-format configuration (YAML, TOML, or a tree of strings from flags and labels) onto
 * the records of {@link StaticConfig} and {@code config.dynamic}, and writes them back as JSON for
 * the API. Keys match without regard to case, unknown keys are errors with a suggestion, and every
 * error says where it is: file, line and column, or the flag or label.
 */
public final class ConfigMapper {

    /** Input formats of configuration files. */
    public enum Format {
        YAML, TOML;

        /** The format of a file by its extension, or empty if it is not a configuration file. */
        public static Optional<Format> of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".yml") || name.endsWith(".yaml")) {
                return Optional.of(YAML);
            }
            if (name.endsWith(".toml")) {
                return Optional.of(TOML);
            }
            return Optional.empty();
        }
    }

    private static final ObjectMapper YAML = configure(YAMLMapper.builder(), false);
    private static final ObjectMapper TOML = configure(TomlMapper.builder(), false);
    private static final ObjectMapper FLAT = configure(JsonMapper.builder(), true);
    private static final ObjectMapper JSON = configure(JsonMapper.builder(), false);

    private ConfigMapper() {
    }

    private static ObjectMapper configure(MapperBuilder<?, ?> builder, boolean flat) {
        SimpleModule module = new SimpleModule("switchboard-config");
        module.addDeserializer(Duration.class, new DurationDeserializer());
        module.addSerializer(Duration.class, new DurationSerializer());
        module.addDeserializer(Service.class,
                new OneOfDeserializer<>(Service.class, "service", Service.KINDS, Service.UNSUPPORTED_KINDS));
        module.addDeserializer(Middleware.class,
                new OneOfDeserializer<>(Middleware.class, "middleware", Middleware.KINDS, Middleware.UNSUPPORTED_KINDS));
        module.setSerializerModifier(new KindWrapping());
        if (flat) {
            module.setDeserializerModifier(new CommaSeparatedLists());
        }
        return builder
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.NON_EMPTY))
                .addHandler(new SectionSwitches())
                .addModule(module)
                .build();
    }

    /** Writes a service or middleware as {@code {"stripPrefix": {...}}}: the kind is the one key, as Traefik writes it. */
    private static final class KindWrapping extends BeanSerializerModifier {
        private static final long serialVersionUID = 1L;

        @Override
        public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription beanDesc,
                JsonSerializer<?> serializer) {
            Class<?> type = beanDesc.getBeanClass();
            String kind = kindName(type, Service.KINDS);
            if (kind == null) {
                kind = kindName(type, Middleware.KINDS);
            }
            if (kind == null) {
                return serializer;
            }
            String name = kind;
            @SuppressWarnings("unchecked")
            JsonSerializer<Object> inner = (JsonSerializer<Object>) serializer;
            return new StdSerializer<Object>(Object.class) {
                private static final long serialVersionUID = 1L;

                @Override
                public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                    gen.writeStartObject();
                    gen.writeFieldName(name);
                    inner.serialize(value, gen, provider);
                    gen.writeEndObject();
                }
            };
        }

        private static String kindName(Class<?> type, Map<String, ? extends Class<?>> kinds) {
            for (Map.Entry<String, ? extends Class<?>> e : kinds.entrySet()) {
                if (e.getValue() == type) {
                    return e.getKey();
                }
            }
            return null;
        }
    }

    /** The JSON writer for the API: Traefik's shapes, durations as {@code "10s"}. */
    public static ObjectMapper json() {
        return JSON;
    }

    /** Reads a YAML or TOML file; {@link ConfigException} names the file, line and column. */
    public static <T> T readFile(Path file, Class<T> type) {
        Format format = Format.of(file).orElseThrow(() -> new ConfigException(
                file + ": unknown configuration format: name the file *.yml, *.yaml or *.toml"));
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return readString(text, format, file.toString(), type);
    }

    /** Reads configuration text; {@code sourceName} starts every error message. */
    public static <T> T readString(String text, Format format, String sourceName, Class<T> type) {
        ObjectMapper mapper = format == Format.YAML ? YAML : TOML;
        if (text.isBlank()) {
            return mapper.convertValue(Map.of(), type);
        }
        try {
            T value = format == Format.YAML && YamlAliases.used(text)
                    ? mapper.treeToValue(YamlAliases.resolve(text, sourceName), type)
                    : mapper.readValue(text, type);
            return value != null ? value : mapper.convertValue(Map.of(), type);
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty() && String.valueOf(e.getOriginalMessage()).startsWith("No content to map")) {
                return mapper.convertValue(Map.of(), type); // only comments
            }
            throw new ConfigException(sourceName + locationOf(e, text, format) + ": " + describe(e, "key", ConfigMapper::dotted), e);
        } catch (JacksonException e) {
            MarkedYAMLException syntax = yamlSyntaxError(e);
            if (syntax != null) {
                throw new ConfigException(sourceName + ":" + (syntax.getProblemMark().getLine() + 1) + ":"
                        + (syntax.getProblemMark().getColumn() + 1) + ": YAML syntax error: " + syntax.getProblem()
                        + (syntax.getContext() != null ? " " + syntax.getContext() : "")
                        + " (check the indentation and the quoting on this line and the one before)", e);
            }
            throw new ConfigException(sourceName + locationOf(e, text, format) + ": " + describe(e, "key", ConfigMapper::dotted), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(sourceName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Binds a tree of maps with string leaves (from flags or labels) where lists may be written
     * comma-separated. {@code noun} ("flag", "label") and {@code keyName} say in error messages
     * what the user wrote.
     */
    public static <T> T fromTree(Map<String, Object> tree, Class<T> type, String noun, Function<List<String>, String> keyName) {
        try {
            return FLAT.readerFor(type).readValue(toNode(tree));
        } catch (JacksonException e) {
            throw new ConfigException(describe(e, noun, keyName), e);
        } catch (IOException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static MarkedYAMLException yamlSyntaxError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                return m;
            }
        }
        return null;
    }

    /** The tree as JSON nodes, keeping empty sections ({@code accessLog: {}} switches the access log on). */
    private static JsonNode toNode(Object value) {
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            map.forEach((k, v) -> node.set(String.valueOf(k), toNode(v)));
            return node;
        }
        if (value instanceof List<?> list) {
            ArrayNode node = JsonNodeFactory.instance.arrayNode();
            list.forEach(v -> node.add(toNode(v)));
            return node;
        }
        if (value == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (value instanceof String str) {
            return JsonNodeFactory.instance.textNode(str);
        }
        return JSON.valueToTree(value);
    }

    /**
     * {@code :line:column} of an error: the line of the key it is about when the error names one
     * (Jackson reports where it stopped reading, often the next line), else where parsing stopped.
     */
    private static String locationOf(JacksonException e, String text, Format format) {
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            List<String> path = new ArrayList<>();
            for (JsonMappingException.Reference ref : jme.getPath()) {
                path.add(ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]");
            }
            String located = LocationIndex.of("", text, format).locate(path.toArray(String[]::new));
            if (located.startsWith(":")) {
                return located;
            }
        }
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() <= 0) {
            return "";
        }
        return ":" + at.getLineNr() + ":" + at.getColumnNr();
    }

    private static String dotted(List<String> path) {
        return String.join(".", path).replace(".[", "[");
    }

    /** A message a person can act on, naming the key by its path. */
    static String describe(JacksonException e, String noun, Function<List<String>, String> keyName) {
        List<String> path = new ArrayList<>();
        if (e instanceof JsonMappingException jme) {
            for (JsonMappingException.Reference ref : jme.getPath()) {
                path.add(ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]");
            }
        }
        if (e instanceof UnrecognizedPropertyException upe) {
            String unknown = upe.getPropertyName();
            List<String> known = upe.getKnownPropertyIds() == null ? List.of()
                    : upe.getKnownPropertyIds().stream().map(Object::toString).toList();
            StringBuilder msg = new StringBuilder("unknown ").append(noun).append(' ').append(keyName.apply(path));
            Optional<String> closest = Suggestions.closest(unknown, known);
            if (closest.isPresent()) {
                List<String> fixed = new ArrayList<>(path.subList(0, path.size() - 1));
                fixed.add(closest.get());
                msg.append(": did you mean ").append(keyName.apply(fixed)).append('?');
            } else if (!known.isEmpty()) {
                msg.append(": the keys known here are ")
                        .append(known.stream().sorted(String.CASE_INSENSITIVE_ORDER).collect(Collectors.joining(", ")));
            }
            return msg.toString();
        }
        String detail = e.getOriginalMessage();
        if (detail != null) {
            detail = detail.replace("com.fasterxml.jackson.databind.", "")
                    .replaceAll("`dev\\.switchboard\\.proxy\\.config\\.[\\w.$]+\\$(\\w+)`", "$1")
                    .replaceAll("`dev\\.switchboard\\.proxy\\.config\\.[\\w.]+\\.(\\w+)`", "$1")
                    .replaceAll("`java\\.lang\\.(\\w+)`", "$1");
        }
        return path.isEmpty() ? detail : noun + " " + keyName.apply(path) + ": " + detail;
    }

    /**
     * Traefik lets a section be switched on by a bare {@code true} ({@code --accesslog=true},
     * {@code --providers.docker}, label {@code ...tls=true}) and off by {@code false}.
     */
    private static final class SectionSwitches extends DeserializationProblemHandler {
        @Override
        public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
                ValueInstantiator valueInsts, JsonParser p, String msg) throws IOException {
            JsonToken token = p.currentToken();
            String text = token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_TRUE
                    || token == JsonToken.VALUE_FALSE ? p.getText().trim() : null;
            if (text == null) {
                return NOT_HANDLED;
            }
            if (text.isEmpty() || text.equalsIgnoreCase("true")) {
                return ctxt.readTreeAsValue(JsonNodeFactory.instance.objectNode(), instClass);
            }
            if (text.equalsIgnoreCase("false")) {
                return null;
            }
            return NOT_HANDLED;
        }
    }

    private static final class DurationDeserializer extends StdDeserializer<Duration> {
        private static final long serialVersionUID = 1L;

        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT) {
                return Duration.ofSeconds(p.getLongValue());
            }
            if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                return Duration.ofNanos(Math.round(p.getDoubleValue() * 1e9));
            }
            if (token == JsonToken.VALUE_STRING) {
                try {
                    return Durations.parse(p.getText());
                } catch (IllegalArgumentException e) {
                    return (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getText(), e.getMessage());
                }
            }
            return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
        }
    }

    private static final class DurationSerializer extends StdSerializer<Duration> {
        private static final long serialVersionUID = 1L;

        DurationSerializer() {
            super(Duration.class);
        }

        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(Durations.format(value));
        }
    }

    /**
     * Reads a one-of ({@link Service}, {@link Middleware}): an object whose single key names the
     * kind, matched without regard to case ({@code stripprefix} in labels).
     */
    private static final class OneOfDeserializer<T> extends StdDeserializer<T> {
        private static final long serialVersionUID = 1L;
        private final String what;
        private final transient Map<String, Class<? extends T>> kinds;
        private final transient Map<String, String> unsupported;

        OneOfDeserializer(Class<T> type, String what, Map<String, Class<? extends T>> kinds, Map<String, String> unsupported) {
            super(type);
            this.what = what;
            this.kinds = kinds;
            this.unsupported = unsupported;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.START_OBJECT) {
                token = p.nextToken();
            }
            if (token == JsonToken.END_OBJECT) {
                return fail(ctxt, "a " + what + " needs its kind as its one key, one of: " + String.join(", ", kinds.keySet()));
            }
            if (token != JsonToken.FIELD_NAME) {
                return fail(ctxt, "a " + what + " is written as an object with one key naming its kind, one of: "
                        + String.join(", ", kinds.keySet()));
            }
            String name = p.currentName();
            Class<? extends T> type = lookup(name);
            if (type == null) {
                return fail(ctxt, unknownKind(name));
            }
            JsonToken valueToken = p.nextToken();
            T value = valueToken == JsonToken.VALUE_NULL
                    ? ctxt.readTreeAsValue(JsonNodeFactory.instance.objectNode(), type)
                    : ctxt.readValue(p, type);
            if (p.nextToken() == JsonToken.FIELD_NAME) {
                return fail(ctxt, "a " + what + " is exactly one kind, but this one is both " + canonical(type)
                        + " and " + p.currentName() + ": define two " + what + "s");
            }
            return value;
        }

        private T fail(DeserializationContext ctxt, String message) throws JsonMappingException {
            return ctxt.reportInputMismatch(this, "%s", message);
        }

        private Class<? extends T> lookup(String name) {
            for (Map.Entry<String, Class<? extends T>> e : kinds.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        private String canonical(Class<?> type) {
            return kinds.entrySet().stream().filter(e -> e.getValue() == type).map(Map.Entry::getKey).findFirst()
                    .orElse(type.getSimpleName());
        }

        private String unknownKind(String name) {
            for (Map.Entry<String, String> e : unsupported.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return what + " kind \"" + name + "\" is not supported by Switchboard: " + e.getValue();
                }
            }
            String msg = "unknown " + what + " kind \"" + name + "\"";
            Optional<String> closest = Suggestions.closest(name, kinds.keySet());
            return closest.map(c -> msg + ": did you mean " + c + "?")
                    .orElse(msg + ": the kinds are " + String.join(", ", kinds.keySet()));
        }
    }

    /**
     * In flags and labels a list is written {@code a,b,c} ({@code --metrics.prometheus.buckets=0.1,0.3,1.2});
     * in files it may be a YAML list or a single value.
     */
    private static final class CommaSeparatedLists extends BeanDeserializerModifier {
        private static final long serialVersionUID = 1L;

        @Override
        public JsonDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
                BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
            return new CommaSeparated(deserializer, type.getContentType().getRawClass());
        }
    }

    /** Splits a string at commas and reads each part as an element; anything else goes to the collection's own reader. */
    private static final class CommaSeparated extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;
        private final Class<?> element;

        CommaSeparated(JsonDeserializer<?> delegate, Class<?> element) {
            super(delegate);
            this.element = element;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new CommaSeparated(newDelegatee, element);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return super.deserialize(p, ctxt);
            }
            List<String> parts = Arrays.stream(p.getText().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .collect(Collectors.toList());
            if (element == String.class) {
                return new ArrayList<>(parts);
            }
            List<Object> values = new ArrayList<>();
            for (String part : parts) {
                values.add(ctxt.readTreeAsValue(JsonNodeFactory.instance.textNode(part), element));
            }
            return values;
        }
    }
}
