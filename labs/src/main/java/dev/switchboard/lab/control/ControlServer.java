package dev.switchboard.lab.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.lab.sim.SimulatedLab;
import dev.switchboard.lab.sim.Simulation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The simulation's remote control on 127.0.0.1: {@code lab ps}, {@code lab kill app1 2} and the
 * others, run from another terminal, send their command here. JSON in and out.
 */
public final class ControlServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code lab up} on the running lab: the compose file to apply now, and the proxy's profile. */
    @FunctionalInterface
    public interface Applier {
        List<String> apply(java.nio.file.Path composeFile, String profile) throws Exception;
    }

    private final SimulatedLab lab;
    private final Simulation simulation;
    private final Applier applier;
    private final Runnable down;
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    public ControlServer(SimulatedLab lab, Applier applier, Runnable down) throws Exception {
        this.lab = lab;
        this.simulation = lab.simulation();
        this.applier = applier;
        this.down = down;
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Object body;
                int status = 200;
                try {
                    body = dispatch(request);
                } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException
                        | dev.switchboard.lab.compose.ComposeException e) {
                    status = 400;
                    body = Map.of("error", String.valueOf(e.getMessage()));
                } catch (Exception e) {
                    status = 500;
                    body = Map.of("error", e.toString());
                }
                response.setStatus(status);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                try {
                    response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(body)), callback);
                } catch (Exception e) {
                    callback.failed(e);
                }
                return true;
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    private Object dispatch(Request request) throws Exception {
        Fields q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        String path = request.getHttpURI().getPath();
        String service = q.getValue("service");
        String r = q.getValue("replica");
        Integer replica = r == null || r.isEmpty() ? null : Integer.valueOf(r);
        return switch (path) {
            case "/ps" -> simulation.ps();
            case "/kill" -> done(simulation.kill(service, replica));
            case "/stop" -> done(simulation.stop(service, replica));
            case "/pause" -> done(simulation.pause(service, replica));
            case "/unpause" -> done(simulation.unpause(service, replica));
            case "/start" -> done(simulation.startAgain(service, replica));
            case "/scale" -> done(simulation.scale(service, Integer.parseInt(q.getValue("replicas"))));
            case "/urls" -> lab.urls();
            case "/wait" -> ready();
            case "/apply" -> applier.apply(java.nio.file.Path.of(q.getValue("file")), q.getValue("profile"));
            case "/logs" -> logs(service, q.getValue("tail"));
            case "/down" -> {
                Thread t = new Thread(down, "lab-down");
                t.start();
                yield Map.of("stopping", simulation.compose().project());
            }
            default -> throw new IllegalArgumentException("unknown command " + path);
        };
    }

    /**
     * {@code lab up --wait}: waits, as {@code docker compose up --wait} does, until every container with a
     * health check is healthy (up to 4 minutes), then for the proxies' providers throttle, so that they
     * route to what the last health events brought; names the containers still not healthy.
     */
    private Map<String, Object> ready() throws InterruptedException {
        List<String> unhealthy = simulation.awaitHealthy(java.time.Duration.ofMinutes(4));
        if (unhealthy.isEmpty()) {
            Thread.sleep(lab.model().providersSettle().toMillis());
        }
        return Map.of("unhealthy", unhealthy);
    }

    private static Map<String, Object> done(List<String> containers) {
        return Map.of("containers", containers);
    }

    private Map<String, List<String>> logs(String service, String tail) {
        int n = tail == null ? 200 : Integer.parseInt(tail);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Simulation.ContainerView c : simulation.ps()) {
            if (service == null || service.isEmpty() || c.service().equals(service)) {
                List<String> lines = simulation.logs().recent(c.name());
                out.put(c.name(), lines.subList(Math.max(0, lines.size() - n), lines.size()));
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
