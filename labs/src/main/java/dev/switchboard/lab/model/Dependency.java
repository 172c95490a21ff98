package dev.switchboard.lab.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** One entry of a service's {@code depends_on}: the service it waits for, and until when. */
public record Dependency(String service, Condition condition) {

    /** Compose's {@code depends_on} conditions. */
    public enum Condition {
        /** {@code service_started}: the dependency's containers were started (the short list form means this). */
        STARTED("service_started"),
        /** {@code service_healthy}: its health check passed. */
        HEALTHY("service_healthy"),
        /** {@code service_completed_successfully}: it ran to completion with exit code 0. */
        COMPLETED("service_completed_successfully");

        private final String compose;

        Condition(String compose) {
            this.compose = compose;
        }

        /** As the compose file writes it. */
        public String compose() {
            return compose;
        }

        public static Optional<Condition> of(String compose) {
            String c = compose.trim().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(v -> v.compose.equals(c)).findFirst();
        }
    }
}
