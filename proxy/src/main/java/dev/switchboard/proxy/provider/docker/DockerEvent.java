package dev.switchboard.proxy.provider.docker;

import java.util.Map;

/**
 * One message of Docker's {@code GET /events} stream: {@code {"Type":"container","Action":"start",
 * "Actor":{"ID":"...","Attributes":{...}},"time":...,"timeNano":...}}. {@code health_status} events
 * carry the status in the action ({@code "health_status: healthy"}); {@code kill} carries the
 * {@code signal} attribute, {@code die} the {@code exitCode}.
 */
public record DockerEvent(String type, String action, String actorId, Map<String, String> attributes, long timeNano) {
    public DockerEvent {
        type = type == null ? "" : type;
        action = action == null ? "" : action;
        actorId = actorId == null ? "" : actorId;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The action without its detail: {@code health_status} for {@code "health_status: healthy"}. */
    public String verb() {
        int colon = action.indexOf(':');
        return colon < 0 ? action : action.substring(0, colon).trim();
    }

    public String attribute(String name) {
        return attributes.get(name);
    }
}
