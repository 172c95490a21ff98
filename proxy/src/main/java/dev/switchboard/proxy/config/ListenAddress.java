package dev.switchboard.proxy.config;

/**
 * An entry point address as Traefik writes it: {@code :80}, {@code 0.0.0.0:80},
 * {@code 127.0.0.1:8080}, {@code [::1]:80}, optionally with {@code /tcp}. An empty host means
 * every interface.
 */
public record ListenAddress(String host, int port) {

    public static ListenAddress parse(String address, String where) {
        String a = address.trim();
        int slash = a.lastIndexOf('/');
        if (slash >= 0) {
            String protocol = a.substring(slash + 1);
            if (!protocol.equalsIgnoreCase("tcp")) {
                throw new ConfigException(where + "=" + address + ": Switchboard entry points are TCP only (drop /" + protocol + ")");
            }
            a = a.substring(0, slash);
        }
        int colon = a.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException(where + "=" + address + " has no port: write it as :80 or 127.0.0.1:80");
        }
        String host = a.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(a.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(where + "=" + address + ": the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(where + "=" + address + ": the port must be between 0 and 65535");
        }
        return new ListenAddress(host.isEmpty() ? null : host, port);
    }
}
