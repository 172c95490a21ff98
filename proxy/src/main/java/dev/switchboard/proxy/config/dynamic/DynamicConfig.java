package dev.switchboard.proxy.config.dynamic;

/**
 * Traefik's dynamic configuration: what a provider produces (the {@code http} section of a file
 * provider file, or what Docker labels describe). Immutable; names are as the provider wrote them,
 * not yet qualified with {@code @provider}.
 */
public record DynamicConfig(HttpConfig http, TlsConfig tls) {
    public DynamicConfig {
        http = http == null ? HttpConfig.EMPTY : http;
        tls = tls == null ? TlsConfig.EMPTY : tls;
    }

    public static final DynamicConfig EMPTY = new DynamicConfig(null, null);

    public DynamicConfig(HttpConfig http) {
        this(http, null);
    }
}
