package dev.switchboard.producer.web;

import dev.switchboard.producer.instance.InstanceIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code GET /}: what the service offers, as absolute links. Built from the request as the client sent it to
 * the proxy (X-Forwarded-Host, -Proto, -Port and -Prefix), so {@code http://localhost/app1/} links to
 * {@code http://localhost/app1/users}, not to the replica's own address.
 */
@RestController
public class IndexController {
    private final InstanceIdentity identity;

    public IndexController(InstanceIdentity identity) {
        this.identity = identity;
    }

    @GetMapping("/")
    public Map<String, Object> index() {
        String base = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", base + "/");
        links.put("users", base + "/users");
        links.put("instance", base + "/instance");
        links.put("health", base + "/actuator/health");
        links.put("faults", base + "/admin/faults");
        links.put("call", base + "/call/{service}/{path}");
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("service", "sample-producer");
        index.put("instance", identity.name());
        index.put("links", links);
        return index;
    }
}
