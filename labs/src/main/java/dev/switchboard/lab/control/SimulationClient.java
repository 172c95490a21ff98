package dev.switchboard.lab.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A simulated lab running in another process, driven through its {@link ControlServer}. */
public final class SimulationClient implements RunningLab {
    private final LabState state;
    private final ControlClient control;

    SimulationClient(LabState state) {
        this.state = state;
        this.control = new ControlClient(state.controlUrl());
    }

    @Override
    public LabState state() {
        return state;
    }

    @Override
    public int ps(PrintStream out) throws Exception {
        JsonNode ps = control.call("ps", Map.of());
        out.printf("%-26s %-18s %-10s %-16s %s%n", "NAME", "STATE", "HEALTH", "ADDRESS", "PORTS");
        for (JsonNode c : ps) {
            List<String> ports = new ArrayList<>();
            c.get("ports").forEach(p -> ports.add(p.asText()));
            out.printf("%-26s %-18s %-10s %-16s %s%n", c.get("name").asText(), c.get("state").asText(),
                    c.get("health").asText(), c.get("address").asText(), String.join(", ", ports));
        }
        return 0;
    }

    @Override
    public int act(Action action, String service, Integer replica, PrintStream out) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("service", service);
        params.put("replica", replica == null ? null : replica.toString());
        JsonNode done = control.call(action.command(), params);
        if (done.get("containers").isEmpty()) {
            out.println("nothing to " + action.command() + ": no container of " + service + (replica == null ? "" : " " + replica)
                    + " is in a state for it (see ./lab ps)");
        }
        done.get("containers").forEach(c -> out.println(c.asText() + ": " + action.command()));
        return 0;
    }

    @Override
    public int scale(String service, int replicas, PrintStream out) throws Exception {
        JsonNode done = control.call("scale", Map.of("service", service, "replicas", String.valueOf(replicas)));
        done.get("containers").forEach(c -> out.println(c.asText()));
        return 0;
    }

    @Override
    public int logs(String service, int tail, PrintStream out) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("service", service);
        params.put("tail", String.valueOf(tail));
        JsonNode logs = control.call("logs", params);
        logs.fields().forEachRemaining(e -> e.getValue().forEach(line -> out.println(e.getKey() + " | " + line.asText())));
        return 0;
    }

    @Override
    public int apply(Path composeFile, String profile, PrintStream out) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("file", composeFile.toAbsolutePath().toString());
        params.put("profile", profile);
        JsonNode changes = control.call("apply", params);
        changes.forEach(line -> out.println(line.asText()));
        return 0;
    }

    /** Asks the lab to stop, waits for its process to end, then removes what it left (nothing, normally). */
    @Override
    public int down(PrintStream out) throws Exception {
        control.call("down", Map.of());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
        while (state.alive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (state.alive()) {
            out.println(state.project() + " is still stopping (pid " + state.pid() + "); ./lab down again removes what it leaves");
            return 1;
        }
        Leftovers.remove(state, out);
        out.println(state.project() + " stopped");
        return 0;
    }
}
