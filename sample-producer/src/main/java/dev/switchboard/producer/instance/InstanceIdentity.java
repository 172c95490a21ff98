package dev.switchboard.producer.instance;

import dev.switchboard.producer.ProducerProperties;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Who this replica is, for {@code /instance} and the {@code X-Instance} header: what a student looks at to see
 * which replica the load balancer picked.
 *
 * <p>The name is INSTANCE_NAME when given; else {@code address:port} when SERVER_ADDRESS binds one address (the
 * simulated topology's replicas share a port on different loopback addresses); else, in a container, the host
 * name Docker gives it (the short container id, as {@code docker ps} shows); else {@code host:port}, which tells
 * apart replicas started as plain processes on one machine. The replica number is
 * INSTANCE_REPLICA when given; else the number a container name ends in ({@code project_app1_3} or
 * {@code project-app1-3} under compose), found by asking Docker's DNS for the container's own address.
 */
@Component
public class InstanceIdentity {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceIdentity.class);
    private static final Pattern CONTAINER_ID = Pattern.compile("(?:docker|containers|libpod)[-/]([0-9a-f]{64})");
    private static final Pattern TRAILING_NUMBER = Pattern.compile(".*?[_-](\\d+)$");

    private final Instant startedAt = Instant.now();
    private final String configuredName;
    private final String configuredReplica;
    private final String version;
    private final String hostName;
    private final Optional<String> containerId;
    private final AtomicLong requestsServed = new AtomicLong();
    private volatile String name;
    private volatile String address;
    private volatile int port;
    private volatile ContainerName containerName;
    private final String database;

    public InstanceIdentity(ProducerProperties properties, org.springframework.core.env.Environment environment) {
        this.database = database(environment.getProperty("spring.datasource.url"));
        this.configuredName = blankToNull(properties.instance().name());
        this.configuredReplica = blankToNull(properties.instance().replica());
        this.version = blankToNull(properties.instance().version());
        this.hostName = localHostName();
        this.containerId = containerId();
        this.name = configuredName != null ? configuredName : hostName;
    }

    /** The port (and address) are known once the web server listens; a plain process names itself by them. */
    @EventListener
    public void onWebServerReady(WebServerInitializedEvent event) {
        port = event.getWebServer().getPort();
        String bound = event.getApplicationContext().getEnvironment().getProperty("server.address");
        address = blankToNull(bound);
        if (configuredName == null && (address != null || containerId.isEmpty())) {
            name = (address != null ? address : hostName) + ":" + port;
        }
        if (containerId.isPresent() && configuredReplica == null) {
            Thread lookup = new Thread(this::lookUpContainerName, "container-name-lookup");
            lookup.setDaemon(true);
            lookup.start();
        }
        LOG.info("instance {} listening on {}:{}{}", name, address == null ? "*" : address, port,
                containerId.map(id -> " in container " + id.substring(0, 12)).orElse(""));
    }

    public String name() {
        return name;
    }

    /** The version this replica runs (APP_VERSION), or null. */
    public String version() {
        return version;
    }

    public long countRequest() {
        return requestsServed.incrementAndGet();
    }

    public InstanceInfo info() {
        ContainerName container = containerName;
        String replica = configuredReplica != null ? configuredReplica
                : container != null ? container.replica() : null;
        return new InstanceInfo(name, hostName, containerId.map(id -> id.substring(0, 12)).orElse(null),
                container == null ? null : container.name(), replica, address, port, ProcessHandle.current().pid(),
                startedAt, java.time.Duration.between(startedAt, Instant.now()).toMillis(), requestsServed.get(), database, version);
    }

    /**
     * The JDBC URL the users come from, without credentials or options: {@code jdbc:mysql://db:3306/users_db},
     * or {@code jdbc:h2:mem:users_db} for the embedded fallback. Tells a grader (or a student) whether the
     * replica really talks to the compose service {@code db}.
     */
    public static String database(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String u = url.strip().replaceFirst("^(jdbc:[a-z0-9]+://)[^/@]*@", "$1");
        int end = u.length();
        for (char c : new char[]{'?', ';'}) {
            int i = u.indexOf(c);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        return u.substring(0, end);
    }

    /**
     * Docker's embedded DNS (on user-defined networks, as compose creates) answers a reverse query for a
     * container's address with {@code <container name>.<network>}. The system resolver would answer from
     * /etc/hosts (the host name) first, so this asks DNS directly.
     */
    private void lookUpContainerName() {
        try {
            byte[] ip = InetAddress.getLocalHost().getAddress();
            if (ip.length != 4) {
                return;
            }
            String query = (ip[3] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[0] & 0xff)
                    + ".in-addr.arpa";
            Hashtable<String, String> env = new Hashtable<>();
            env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
            env.put(Context.PROVIDER_URL, "dns:");
            env.put("com.sun.jndi.dns.timeout.initial", "1000");
            env.put("com.sun.jndi.dns.timeout.retries", "2");
            DirContext dns = new InitialDirContext(env);
            try {
                Attribute ptr = dns.getAttributes(query, new String[]{"PTR"}).get("PTR");
                if (ptr == null || ptr.size() == 0) {
                    return;
                }
                String reverse = ptr.get(0).toString();
                String container = reverse.contains(".") ? reverse.substring(0, reverse.indexOf('.')) : reverse;
                if (container.isEmpty() || container.equals(hostName)) {
                    return;
                }
                Matcher number = TRAILING_NUMBER.matcher(container);
                containerName = new ContainerName(container, number.matches() ? number.group(1) : null);
                LOG.info("container name {} (replica {})", container, containerName.replica());
            } finally {
                dns.close();
            }
        } catch (IOException | NamingException | RuntimeException e) {
            LOG.debug("no container name from reverse DNS", e);
        }
    }

    private static String localHostName() {
        String fromEnvironment = blankToNull(System.getenv("HOSTNAME"));
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The container id from the mount table (cgroup v2) or the cgroup file (v1); empty outside a container. */
    static Optional<String> containerId() {
        for (String file : List.of("/proc/self/mountinfo", "/proc/self/cgroup")) {
            try {
                Matcher m = CONTAINER_ID.matcher(Files.readString(Path.of(file)));
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: not in a container we can name
            }
        }
        return Optional.empty();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private record ContainerName(String name, String replica) {
    }
}
