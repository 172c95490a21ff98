package dev.switchboard.proxy.testing;

import java.net.InetSocketAddress;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;

/** HTTP clients for balancing tests: no cookie store (tests send cookies themselves), optional source address. */
public final class Clients {
    private Clients() {
    }

    /** A started client without a cookie store. */
    public static HttpClient plain() throws Exception {
        return from(null);
    }

    /** A started client whose connections come from {@code sourceAddress} (e.g. 127.0.0.7; any 127/8 address is loopback on Linux). */
    public static HttpClient from(String sourceAddress) throws Exception {
        HttpClient client = new HttpClient();
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setMaxConnectionsPerDestination(64);
        if (sourceAddress != null) {
            client.setBindAddress(new InetSocketAddress(sourceAddress, 0));
        }
        client.start();
        return client;
    }
}
