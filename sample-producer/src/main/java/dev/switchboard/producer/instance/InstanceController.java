package dev.switchboard.producer.instance;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /instance}: which replica answered, since when, and how busy it has been. */
@RestController
public class InstanceController {
    private final InstanceIdentity identity;

    public InstanceController(InstanceIdentity identity) {
        this.identity = identity;
    }

    @GetMapping("/instance")
    public InstanceInfo instance() {
        return identity.info();
    }
}
