package dev.switchboard.proxy;

import dev.switchboard.proxy.config.Behaviour;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.Improvement;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.StaticConfigLoader;
import dev.switchboard.proxy.config.Version;
import dev.switchboard.proxy.logging.LogSetup;
import java.io.IOException;
import java.net.BindException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar switchboard-proxy.jar --entrypoints.web.address=:80 --providers.file.filename=dynamic.yml ...}:
 * Traefik's command line, Switchboard's proxy. Exit code 1 on a configuration error, printed without
 * a stack trace.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    /**
     * Says how the proxy behaves: as Traefik v3.2 (the {@code traefik} profile), or with which
     * improvements, each with its option, so a student knows what a real Traefik will not do.
     */
    static void logBehaviour(Behaviour behaviour) {
        if (behaviour.improvements().isEmpty()) {
            LOG.info("profile {}: behaves as Traefik v3.2 (SWITCHBOARD_PROFILE=switchboard or --switchboard.profile=switchboard "
                    + "turns Switchboard's improvements on)", behaviour.describe());
            return;
        }
        LOG.info("profile {}: {} of Switchboard's improvements on, where it behaves differently from Traefik v3.2:",
                behaviour.describe(), behaviour.improvements().size());
        for (Improvement i : behaviour.improvements()) {
            LOG.info("  --switchboard.{}: {}", i.option(), i.summary());
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(Usage.TEXT);
            return;
        }
        if (args.length == 1 && args[0].equals("version")) {
            System.out.println("Switchboard " + Version.get());
            return;
        }
        StaticConfig config;
        try {
            config = StaticConfigLoader.load(Arrays.asList(args));
        } catch (ConfigException e) {
            System.err.println("switchboard: " + e.getMessage());
            System.exit(1);
            return;
        }
        LogSetup.apply(config.log());
        SwitchboardProxy proxy = new SwitchboardProxy(config);
        try {
            proxy.start();
        } catch (ConfigException e) {
            System.err.println("switchboard: " + e.getMessage());
            proxy.close();
            System.exit(1);
            return;
        } catch (IOException e) {
            Throwable cause = e instanceof BindException || e.getCause() == null ? e : e.getCause();
            System.err.println("switchboard: cannot listen: " + cause.getMessage()
                    + " (is another program using the port? choose another with --entrypoints.<name>.address)");
            proxy.close();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: finishing in-flight requests");
            proxy.close();
            stopped.countDown();
        }, "shutdown"));
        config.entryPoints().keySet().forEach(name ->
                LOG.info("entry point {} listening on {}", name, config.entryPoints().get(name).address()
                        + (config.entryPoints().get(name).address().endsWith(":0") ? " (port " + proxy.port(name) + ")" : "")));
        LOG.info("Switchboard {} started", Version.get());
        logBehaviour(config.behaviour());
        stopped.await();
    }
}
