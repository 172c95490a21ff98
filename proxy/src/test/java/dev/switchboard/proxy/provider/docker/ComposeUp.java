package dev.switchboard.proxy.provider.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.testkit.docker.ContainerSpec;
import dev.switchboard.testkit.docker.DockerEngineEmulator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What {@code docker compose -p <project> up} does that the Docker provider can see, for a compose
 * file's services, on the emulator: one container per replica ({@code deploy.replicas}), named
 * {@code <project>-<service>-<n>}, with compose's labels, on the project's networks (prefixed
 * {@code <project>_}), exposing what the image exposes.
 */
final class ComposeUp {
    /** What known images EXPOSE (their Dockerfiles); images built from the course's Dockerfile expose nothing. */
    private static final Map<String, List<Integer>> IMAGE_EXPOSES = Map.of(
            "traefik", List.of(80),
            "mysql", List.of(3306, 33060));

    record Container(String service, int number, String id, String ip) {
    }

    private final JsonNode compose;

    ComposeUp(String yaml) throws IOException {
        this.compose = new YAMLMapper().readTree(yaml);
    }

    /** The {@code command:} list of a service (the reverse proxy's flags). */
    List<String> command(String service) {
        List<String> out = new ArrayList<>();
        compose.path("services").path(service).path("command").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The {@code labels:} of a service, list or map form. */
    Map<String, String> labels(String service) {
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode node = compose.path("services").path(service).path("labels");
        if (node.isArray()) {
            node.forEach(n -> {
                String kv = n.asText();
                int eq = kv.indexOf('=');
                labels.put(kv.substring(0, eq), kv.substring(eq + 1));
            });
        } else {
            node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }

    int replicas(String service) {
        return compose.path("services").path(service).path("deploy").path("replicas").asInt(1);
    }

    /**
     * Creates and starts every replica of every service; {@code ip} gives each container's address
     * (service, replica number); {@code relabel} may adjust a service's labels.
     */
    List<Container> up(DockerEngineEmulator engine, String project, BiFunction<String, Integer, String> ip,
            java.util.function.BiFunction<String, Map<String, String>, Map<String, String>> relabel) {
        List<Container> out = new ArrayList<>();
        compose.path("services").properties().forEach(e -> {
            String service = e.getKey();
            JsonNode def = e.getValue();
            String image = def.path("image").asText(project + "-" + service);
            for (int n = 1; n <= replicas(service); n++) {
                ContainerSpec spec = ContainerSpec.compose(project, service, n).image(image)
                        .labels(relabel.apply(service, labels(service)));
                String address = ip.apply(service, n);
                List<String> networks = new ArrayList<>();
                def.path("networks").forEach(x -> networks.add(x.asText()));
                def.path("networks").fieldNames().forEachRemaining(networks::add);
                if (networks.isEmpty()) {
                    networks.add("default");
                }
                for (String network : networks) {
                    String explicit = compose.path("networks").path(network).path("name").asText(null);
                    spec.network(explicit != null ? explicit : project + "_" + network, address);
                }
                IMAGE_EXPOSES.getOrDefault(image.split(":")[0], List.of()).forEach(spec::expose);
                out.add(new Container(service, n, engine.run(spec), address));
            }
        });
        return out;
    }
}
