package dev.switchboard.lab.sim;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compose or Dockerfile health check, run against the simulated container instead of inside it:
 * a {@code curl}/{@code wget} of a {@code localhost} URL becomes an HTTP GET of the container's
 * address (2xx/3xx is healthy, as {@code curl -f}), {@code mysqladmin ping} and other database
 * probes become a TCP connect to the database port, {@code nc -z host port} a TCP connect.
 */
public final class HealthProbe {
    private static final Pattern URL = Pattern.compile("https?://(localhost|127\\.0\\.0\\.1|0\\.0\\.0\\.0)(?::(\\d+))?(/\\S*)?");
    private static final Pattern NC = Pattern.compile("\\bnc\\b.*?\\s(\\d+)\\s*$");
    /** curl's {@code -f}/{@code --fail}, alone or in a cluster of short options ({@code -fsS}). */
    private static final Pattern FAIL_FLAG = Pattern.compile("(^|\\s)(-[a-zA-Z]*f[a-zA-Z]*|--fail(-with-body)?)(?=\\s|$)");

    /** What to probe. */
    public sealed interface Kind permits Http, Tcp {
    }

    /** An HTTP GET; {@code anyStatus}: any answer counts (curl without {@code -f}), else only 2xx and 3xx. */
    public record Http(int port, String path, boolean anyStatus) implements Kind {
    }

    public record Tcp(int port) implements Kind {
    }

    private final Kind kind;
    private final String description;

    private HealthProbe(Kind kind, String description) {
        this.kind = kind;
        this.description = description;
    }

    /**
     * Interprets a health check test ({@code CMD ...} or {@code CMD-SHELL ...}); {@code fallbackPort}
     * is probed by TCP when the command is not one the simulation knows.
     */
    public static HealthProbe of(List<String> test, int fallbackPort) {
        String command = String.join(" ", test.size() > 1 ? test.subList(1, test.size()) : test);
        Matcher url = URL.matcher(command);
        if (url.find()) {
            int port = url.group(2) == null ? 80 : Integer.parseInt(url.group(2));
            String path = url.group(3) == null ? "/" : url.group(3).replaceAll("['\"|;&)]+$", "");
            boolean anyStatus = command.matches(".*\\bcurl\\b.*") && !FAIL_FLAG.matcher(command).find();
            return new HealthProbe(new Http(port, path, anyStatus), "GET http://<container>:" + port + path
                    + (anyStatus ? " (any answer: curl without -f)" : ""));
        }
        if (command.contains("mysqladmin") || command.contains("healthcheck.sh") || command.contains("mariadb-admin")
                || command.contains("mysql ")) {
            return new HealthProbe(new Tcp(fallbackPort), "TCP connect to the database port " + fallbackPort);
        }
        Matcher nc = NC.matcher(command.replaceAll("\\|\\|.*", "").trim());
        if (nc.find()) {
            int port = Integer.parseInt(nc.group(1));
            return new HealthProbe(new Tcp(port), "TCP connect to port " + port);
        }
        return new HealthProbe(new Tcp(fallbackPort), "TCP connect to port " + fallbackPort
                + " (the simulation cannot run \"" + command + "\")");
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    /** Runs the probe against {@code host}; {@code portMap} gives where a container port really listens. */
    public boolean check(String host, java.util.function.IntUnaryOperator portMap, Duration timeout) {
        int millis = (int) Math.max(100, timeout.toMillis());
        if (kind instanceof Http http) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host + ":" + portMap.applyAsInt(http.port())
                        + http.path()).toURL().openConnection();
                c.setConnectTimeout(millis);
                c.setReadTimeout(millis);
                c.setInstanceFollowRedirects(false);
                int status = c.getResponseCode();
                c.disconnect();
                return http.anyStatus() || status >= 200 && status < 400;
            } catch (IOException e) {
                return false;
            }
        }
        Tcp tcp = (Tcp) kind;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, portMap.applyAsInt(tcp.port())), millis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
