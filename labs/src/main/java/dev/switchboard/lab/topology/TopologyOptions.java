package dev.switchboard.lab.topology;

import java.util.Locale;

/**
 * How a topology runs beyond what its compose file says.
 *
 * @param profile      the proxy's behaviour profile ({@code traefik} or {@code switchboard}), passed as
 *                     {@code SWITCHBOARD_PROFILE}; null leaves the proxy's default (Traefik v3.2's behaviour)
 * @param traefikImage the official image to run in place of Switchboard's proxy (containers backend
 *                     only), such as {@code traefik:v3.2}; null runs Switchboard's proxy
 */
public record TopologyOptions(String profile, String traefikImage) {
    public static final TopologyOptions DEFAULT = new TopologyOptions(null, null);
    /** The Traefik version the course uses, for {@code --traefik} without a version. */
    public static final String COURSE_TRAEFIK = "v3.2";

    public TopologyOptions {
        if (profile != null && !profile.equals("traefik") && !profile.equals("switchboard")) {
            throw new IllegalArgumentException("unknown profile \"" + profile + "\": use traefik (Traefik v3.2's behaviour, "
                    + "the default) or switchboard (every Switchboard improvement on)");
        }
    }

    /**
     * The image {@code --traefik[=VERSION]} names: {@code traefik:v3.2} for the bare option, a version
     * ({@code v3.3}, {@code 3.2.5}) or a whole image reference otherwise.
     */
    public static String traefikImage(String option) {
        String v = option == null || option.isBlank() ? COURSE_TRAEFIK : option.trim();
        if (v.contains(":") || v.contains("/") || v.contains("@")) {
            return v;
        }
        if (!v.toLowerCase(Locale.ROOT).matches("v?\\d+(\\.\\d+){0,2}(-[a-z0-9.]+)?|latest")) {
            throw new IllegalArgumentException("--traefik=" + option + ": give a Traefik version such as v3.2 (the course's) "
                    + "or v3.3, or a whole image such as traefik:v3.2");
        }
        return "traefik:" + v;
    }

    /** What a user is told when {@code --traefik} cannot have its image. */
    public static String traefikUnavailable(String image, String failure) {
        return "--traefik runs the official " + image + " in place of Switchboard's proxy, but it is not on this machine "
                + "and could not be pulled (" + failure + "). Pull it where a registry is reachable (docker pull " + image
                + "), or leave out --traefik to run Switchboard's proxy";
    }
}
