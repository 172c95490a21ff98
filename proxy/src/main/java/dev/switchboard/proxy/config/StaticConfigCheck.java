package dev.switchboard.proxy.config;

import java.util.ServiceLoader;

/**
 * A check of the static configuration that needs code from a higher layer, such as the syntax of
 * a provider's own options ({@code --providers.docker.defaultRule}). {@link StaticConfigLoader} runs
 * every check registered in {@code META-INF/services/dev.switchboard.proxy.config.StaticConfigCheck},
 * so that flag errors are still reported at load time while this package depends on no provider.
 */
public interface StaticConfigCheck {

    /** Throws a {@link ConfigException} naming the flag and the fix when {@code config} is wrong. */
    void check(StaticConfig config);

    /** Runs every registered check. */
    static void runAll(StaticConfig config) {
        for (StaticConfigCheck check : ServiceLoader.load(StaticConfigCheck.class, StaticConfigCheck.class.getClassLoader())) {
            check.check(config);
        }
    }
}
