package dev.switchboard.proxy.upstream;

import dev.switchboard.proxy.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Server URLs as the proxy uses them (and as {@link ServerState#url()} names them): scheme and host
 * required, the default port made explicit, so {@code http://app1} and {@code http://app1:80} are
 * one server. The service builder, the API and metrics map configured URLs to state with it.
 */
public final class ServerUrls {
    private ServerUrls() {
    }

    /** {@code url} normalised; a {@link ConfigException} says what is wrong with it. */
    public static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new ConfigException("a server has no url: write url: http://host:port");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException("server url \"" + url + "\" is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new ConfigException("server url \"" + url + "\" must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new ConfigException("server url \"" + url + "\" has no host");
        }
        if (uri.getPort() == -1) {
            try {
                uri = new URI(scheme, null, uri.getHost(), scheme.equals("https") ? 443 : 80, uri.getRawPath(), null, null);
            } catch (URISyntaxException e) {
                throw new ConfigException("server url \"" + url + "\": " + e.getReason());
            }
        }
        return uri;
    }
}
