package dev.switchboard.proxy.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How this proxy behaves where Switchboard and Traefik v3.2 differ: the profile and the
 * {@link Improvement}s that are on. The {@code traefik} profile (the default) turns every
 * improvement off, {@code switchboard} turns them all on; {@code --switchboard.<option>=true|false}
 * overrides one. The profile comes from {@code --switchboard.profile} (flag or configuration file),
 * else from the environment variable {@code SWITCHBOARD_PROFILE}, so compose files whose
 * {@code command:} must stay valid for Traefik can choose it.
 */
public final class Behaviour {
    /** The static option that holds the profile, under {@code switchboard}. */
    public static final String PROFILE_OPTION = "profile";
    /** The environment variable read when no {@code --switchboard.profile} is given. */
    public static final String PROFILE_ENV = "SWITCHBOARD_PROFILE";

    /** The two profiles. */
    public enum Profile {
        /** Traefik v3.2's observable behaviour: every improvement off. */
        TRAEFIK,
        /** Every improvement on. */
        SWITCHBOARD;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Traefik's behaviour, all improvements off: the default. */
    public static final Behaviour TRAEFIK = new Behaviour(Profile.TRAEFIK, EnumSet.noneOf(Improvement.class));

    private final Profile profile;
    private final Set<Improvement> on;

    private Behaviour(Profile profile, EnumSet<Improvement> on) {
        this.profile = profile;
        this.on = Collections.unmodifiableSet(on);
    }

    /** The behaviour of {@code profile} with no option changed. */
    public static Behaviour of(Profile profile) {
        return profile == Profile.TRAEFIK ? TRAEFIK : new Behaviour(profile, EnumSet.allOf(Improvement.class));
    }

    /**
     * Resolves the {@code switchboard} section of the static configuration ({@code profile} and one
     * {@code true}/{@code false} per improvement, keys in any case); {@code environmentProfile} is
     * {@code SWITCHBOARD_PROFILE}, or null. {@link ConfigException} names the flag and the fix.
     */
    public static Behaviour of(Map<String, String> options, String environmentProfile) {
        String profileName = null;
        Map<Improvement, Boolean> explicit = new java.util.EnumMap<>(Improvement.class);
        for (Map.Entry<String, String> e : options.entrySet()) {
            String key = e.getKey();
            if (key.equalsIgnoreCase(PROFILE_OPTION)) {
                profileName = e.getValue();
                continue;
            }
            Improvement i = Improvement.byOption(key);
            if (i == null) {
                throw new ConfigException("--switchboard." + key + " is not an option"
                        + Suggestions.closest(key, options()).map(s -> ": did you mean --switchboard." + s + "?")
                                .orElse(" (options: " + String.join(", ", options()) + ")"));
            }
            explicit.put(i, bool("--switchboard." + i.option(), e.getValue()));
        }
        Profile profile;
        if (profileName != null) {
            profile = profile(profileName, "--switchboard.profile=" + profileName);
        } else if (environmentProfile != null && !environmentProfile.isBlank()) {
            profile = profile(environmentProfile, "the environment variable " + PROFILE_ENV + "=" + environmentProfile);
        } else {
            profile = Profile.TRAEFIK;
        }
        EnumSet<Improvement> set = profile == Profile.TRAEFIK ? EnumSet.noneOf(Improvement.class)
                : EnumSet.allOf(Improvement.class);
        explicit.forEach((i, value) -> {
            if (value) {
                set.add(i);
            } else {
                set.remove(i);
            }
        });
        return new Behaviour(profile, set);
    }

    private static List<String> options() {
        List<String> names = new ArrayList<>();
        names.add(PROFILE_OPTION);
        for (Improvement i : Improvement.values()) {
            names.add(i.option());
        }
        return names;
    }

    private static Profile profile(String value, String where) {
        for (Profile p : Profile.values()) {
            if (p.id().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new ConfigException(where + ": the profile is traefik (behave as Traefik v3.2, the default) or "
                + "switchboard (every improvement on)");
    }

    private static boolean bool(String flag, String value) {
        return switch (value == null ? "" : value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(flag + "=" + value + ": use true or false");
        };
    }

    public Profile profile() {
        return profile;
    }

    /** Whether {@code improvement} is on. */
    public boolean on(Improvement improvement) {
        return on.contains(improvement);
    }

    /** The improvements that are on, in declaration order. */
    public Set<Improvement> improvements() {
        return on;
    }

    /** {@code traefik}, {@code switchboard}, or either with what differs: {@code traefik + autoRetry}. */
    public String describe() {
        Behaviour plain = of(profile);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Improvement i : Improvement.values()) {
            if (on(i) && !plain.on(i)) {
                added.add(i.option());
            } else if (!on(i) && plain.on(i)) {
                removed.add(i.option());
            }
        }
        StringBuilder s = new StringBuilder(profile.id());
        added.forEach(a -> s.append(" + ").append(a));
        removed.forEach(r -> s.append(" - ").append(r));
        return s.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
