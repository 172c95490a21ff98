package dev.switchboard.proxy.provider;

/**
 * Where a provider found each element, for messages: {@code dynamic.yml:12}, a container name.
 * Sections are {@code routers}, {@code services}, {@code middlewares}.
 */
@FunctionalInterface
public interface Sources {
    Sources NONE = (section, name) -> null;

    /** Where element {@code name} of {@code section} was defined, or null if unknown. */
    String of(String section, String name);
}
