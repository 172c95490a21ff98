package dev.switchboard.proxy.provider;

import dev.switchboard.proxy.config.dynamic.DynamicConfig;

/** A provider's current dynamic configuration, with where each element came from. */
public record ProviderConfig(String provider, DynamicConfig config, Sources sources) {
    public ProviderConfig {
        sources = sources == null ? Sources.NONE : sources;
    }
}
