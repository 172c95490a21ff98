package dev.switchboard.producer.faults;

import dev.switchboard.producer.ProducerProperties;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The faults this replica injects, as one immutable value: the filter reads it per request, and the admin
 * endpoint swaps it whole. Everything is off by default.
 *
 * @param latency     added before answering (fixed, or a uniform range)
 * @param errorRate   share of requests (0..1) answered with {@code errorStatus} instead of being served
 * @param errorStatus status of injected errors (500 by default)
 * @param hang        requests wait (no answer) until the hang is cleared
 * @param unhealthy   readiness and health report OUT_OF_SERVICE (503) while requests are still served
 * @param crash       exit after some requests or some time; {@link Crash#NONE} for never
 */
public record FaultSettings(Latency latency, double errorRate, int errorStatus, boolean hang, boolean unhealthy,
                            Crash crash) {
    public static final FaultSettings NONE = new FaultSettings(Latency.NONE, 0, 500, false, false, Crash.NONE);

    public FaultSettings {
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("error rate must be between 0 and 1 (or 0% and 100%), got " + errorRate);
        }
        if (errorStatus < 400 || errorStatus > 599) {
            throw new IllegalArgumentException("error status must be an HTTP error status 400..599, got " + errorStatus);
        }
    }

    public boolean any() {
        return !latency.isNone() || errorRate > 0 || hang || unhealthy || !crash.isNone();
    }

    /** From the FAULT_* variables; a bad value fails start-up naming the variable and what it accepts. */
    public static FaultSettings fromProperties(ProducerProperties.Faults faults) {
        Latency latency = parse("FAULT_LATENCY_MS", faults.latency(), Latency::parse);
        double errorRate = parse("FAULT_ERROR_RATE", faults.errorRate(), FaultSettings::parseRate);
        Crash crash = parse("FAULT_CRASH_AFTER", faults.crashAfter(), Crash::parse);
        try {
            return new FaultSettings(latency, errorRate, faults.errorStatus(), faults.hang(), faults.unhealthy(), crash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FAULT_ERROR_STATUS=" + faults.errorStatus() + ": " + e.getMessage());
        }
    }

    private interface Parser<T> {
        T parse(String value);
    }

    private static <T> T parse(String variable, String value, Parser<T> parser) {
        try {
            return parser.parse(value == null ? "" : value.strip());
        } catch (IllegalArgumentException e) {
            // No cause: this message is the whole story, and start-up failure reports show the root cause.
            throw new IllegalArgumentException(variable + "=" + value + ": " + e.getMessage());
        }
    }

    /** "0.2", "20%", or blank for 0. */
    public static double parseRate(String text) {
        if (text.isBlank()) {
            return 0;
        }
        try {
            double rate = text.endsWith("%")
                    ? Double.parseDouble(text.substring(0, text.length() - 1).strip()) / 100
                    : Double.parseDouble(text);
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("an error rate is between 0 and 1, or 0% and 100%");
            }
            return rate;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a rate such as 0.2 or 20%");
        }
    }

    /** Added latency in milliseconds: {@code min == max} for a fixed delay. */
    public record Latency(long minMs, long maxMs) {
        public static final Latency NONE = new Latency(0, 0);
        private static final Pattern RANGE = Pattern.compile("(\\d+)\\s*(?:-\\s*(\\d+))?(?:\\s*ms)?");

        public Latency {
            if (minMs < 0 || maxMs < minMs) {
                throw new IllegalArgumentException("latency range must be 0 <= min <= max, got " + minMs + "-" + maxMs);
            }
        }

        /** "250", "250ms", "100-500", or blank for none. */
        public static Latency parse(String text) {
            if (text.isBlank()) {
                return NONE;
            }
            Matcher m = RANGE.matcher(text.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("expected milliseconds such as 250, or a range such as 100-500");
            }
            long min = Long.parseLong(m.group(1));
            long max = m.group(2) == null ? min : Long.parseLong(m.group(2));
            return new Latency(min, max);
        }

        public boolean isNone() {
            return maxMs == 0;
        }

        long pickMs() {
            return minMs == maxMs ? minMs : ThreadLocalRandom.current().nextLong(minMs, maxMs + 1);
        }

        @Override
        public String toString() {
            return minMs == maxMs ? Long.toString(minMs) : minMs + "-" + maxMs;
        }
    }

    /** Exit after {@code requests} more application requests, or {@code after} a time; both null = never. */
    public record Crash(Long requests, Duration after) {
        public static final Crash NONE = new Crash(null, null);
        private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

        public Crash {
            if (requests != null && requests < 0) {
                throw new IllegalArgumentException("crash after a number of requests >= 0, got " + requests);
            }
            if (requests != null && after != null) {
                throw new IllegalArgumentException("crash after requests or after a time, not both");
            }
        }

        /** "10" (requests), "30s" / "2m" / "500ms" (time), or blank / "0"-less blank for never. */
        public static Crash parse(String text) {
            if (text.isBlank()) {
                return NONE;
            }
            String t = text.strip().toLowerCase(Locale.ROOT);
            if (t.chars().allMatch(Character::isDigit)) {
                return new Crash(Long.parseLong(t), null);
            }
            Matcher m = DURATION.matcher(t);
            if (!m.matches()) {
                throw new IllegalArgumentException("expected a number of requests (10) or a time (30s, 2m, 500ms)");
            }
            long n = Long.parseLong(m.group(1));
            Duration after = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
            return new Crash(null, after);
        }

        public boolean isNone() {
            return requests == null && after == null;
        }

        @Override
        public String toString() {
            if (requests != null) {
                return requests + " requests";
            }
            return after == null ? "never" : after.toMillis() + " ms";
        }
    }
}
