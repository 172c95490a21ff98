package dev.switchboard.proxy.provider;

/**
 * A source of dynamic configuration (file, Docker). It produces whole configurations and never
 * touches handlers; each new one replaces its previous one.
 */
public interface Provider extends AutoCloseable {

    /** The provider name that qualifies its elements ({@code app1@file}). */
    String name();

    /** Where a provider sends what it reads. */
    interface Listener {
        /** A new whole configuration from the provider, replacing its previous one. */
        void update(ProviderConfig config);

        /** The provider could not read its configuration; {@code message} names where and why. */
        void failed(String provider, String message);
    }

    /**
     * Starts providing: delivers the first configuration before returning when it can, then every
     * change. A configuration that cannot be read goes to {@link Listener#failed} instead, so the
     * previous one keeps serving.
     */
    void start(Listener listener) throws Exception;

    @Override
    void close();
}
