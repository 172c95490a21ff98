package dev.switchboard.proxy.runtime;

/** Status of a router, service or middleware, as the Traefik API reports it. */
public enum Status {
    /** Serving. */
    ENABLED("enabled"),
    /** Serving, with a problem worth knowing (an entry point that does not exist, a server down). */
    WARNING("warning"),
    /** Not serving: its configuration has an error. */
    DISABLED("disabled");

    private final String json;

    Status(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
