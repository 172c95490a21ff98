package dev.switchboard.proxy.provider.docker;

import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.StaticConfigCheck;

/** The {@code --providers.docker.*} options checked when the static configuration loads (registered as a service). */
public final class DockerOptionsCheck implements StaticConfigCheck {
    @Override
    public void check(StaticConfig config) {
        if (config.providers().docker() != null) {
            DockerProvider.validate(config.providers().docker());
        }
    }
}
