package dev.switchboard.lab;

import dev.switchboard.docs.DocsSite;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/** {@code lab docs}: renders docs/ into {@code .lab/docs-site} and serves it on 127.0.0.1. */
public final class DocsServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private DocsServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Renders the site (always fresh: the Markdown is the source) and serves it on {@code port}, or a free one if taken. */
    public static DocsServer start(Path root, int port) throws Exception {
        Path site = root.resolve(".lab").resolve("docs-site");
        render(root, site);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(server).newResource(site));
        files.setWelcomeFiles("index.html");
        files.setDirAllowed(false);
        server.setHandler(files);
        try {
            server.start();
        } catch (IOException e) {
            if (!(e instanceof BindException || e.getCause() instanceof BindException) || port == 0) {
                throw e;
            }
            server.stop();
            return start(root, 0);
        }
        return new DocsServer(server, connector);
    }

    static int render(Path root, Path site) throws IOException {
        return new DocsSite(root.resolve("docs")).render(site);
    }

    public String url() {
        return "http://localhost:" + connector.getLocalPort() + "/";
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
