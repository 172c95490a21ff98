package dev.switchboard.lab.model;

import java.time.Duration;
import java.util.List;

/**
 * A service's health check as it will run: the compose file's {@code healthcheck:}, else the
 * {@code HEALTHCHECK} of the Dockerfile it is built from (with the image's and the service's
 * environment substituted, as the shell in the container would).
 *
 * @param test    the {@code CMD} or {@code CMD-SHELL} form
 * @param source  where it comes from, for messages: {@code compose} or the Dockerfile's path
 */
public record Health(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod,
        String source) {
}
