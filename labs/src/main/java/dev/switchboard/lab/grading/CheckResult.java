package dev.switchboard.lab.grading;

import java.time.Duration;

/** How one check went. {@code observed} says what was seen; {@code hint} where to look (on failure). */
public record CheckResult(String id, String name, int points, boolean passed, String observed, String hint, Duration took) {

    public int awarded() {
        return passed ? points : 0;
    }
}
