package dev.switchboard.lab.grading.labs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.lab.grading.Check;
import dev.switchboard.lab.grading.CheckFailed;
import dev.switchboard.lab.grading.LabContext;
import dev.switchboard.lab.grading.LabSuite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Lab 6, dynamic file configuration: the Docker provider runs the versions of app1 (app1-v1,
 * app1-v2, app1-shadow), the file provider routes to them by name across providers
 * ({@code app1-v1@docker}): a weighted canary at 90/10 with a sticky cookie, mirrored to the shadow.
 * The last check changes the configuration the way a release does, by writing a file into the
 * watched folder (the grader's private copy of it), and sees the traffic move without a restart.
 */
public final class Lab6DynamicConfig implements LabSuite {
    static final String HOST = "app1.localhost";
    static final String ROUTER = "app1@file";
    static final String V1 = "app1-v1";
    static final String V2 = "app1-v2";
    static final String SHADOW = "app1-shadow";
    /** What the live check writes into the watched folder; sorted first, so its definitions win. */
    static final String LIVE_FILE = "00-grading-live-check.yml";

    private static final String FILE_HINT = "turn on the file provider in the reverse-proxy's command "
            + "(--providers.file.directory=/etc/switchboard/dynamic and --providers.file.watch=true) and mount the lab's folder "
            + "there (volumes: - ./dynamic:/etc/switchboard/dynamic:ro); then define the router app1 in dynamic/routes.yml";

    @Override
    public String lab() {
        return "lab6";
    }

    @Override
    public String title() {
        return "Dynamic file configuration";
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("versions-from-docker", "The Docker provider has app1-v1, app1-v2 and app1-shadow", 10,
                        "label each version: traefik.enable=true and traefik.http.services.<name>.loadbalancer.server.port=8081 "
                                + "with the names app1-v1, app1-v2 and app1-shadow",
                        Lab6DynamicConfig::versionsFromDocker).about("services/" + V1 + "@docker", "services/" + V2 + "@docker",
                        "services/" + SHADOW + "@docker"),
                new Check("file-provider", "The proxy reads the dynamic folder: the router app1@file is enabled", 10, FILE_HINT,
                        Lab6DynamicConfig::fileProvider).about("routers/" + ROUTER),
                new Check("canary-split", "app1.localhost: 90 % of requests to app1-v1, 10 % to app1-v2", 20,
                        "in dynamic/canary.yml, the service app1-canary is weighted: app1-v1@docker with weight 90 and "
                                + "app1-v2@docker with weight 10; the router app1 (through the mirroring service app1) sends to it",
                        Lab6DynamicConfig::canarySplit).requires("file-provider").about("routers/" + ROUTER),
                new Check("sticky-version", "A client that sends its cookie back keeps its version", 15,
                        "give the weighted service a sticky cookie: sticky: cookie: name: app1_version under app1-canary's weighted",
                        Lab6DynamicConfig::stickyVersion).requires("file-provider").about("routers/" + ROUTER),
                new Check("mirror", "Requests are copied to app1-shadow, whose answers never reach the client", 20,
                        "make the router's service app1 a mirroring service: service: app1-canary, mirrors: - name: "
                                + "app1-shadow@docker, percent: 100",
                        Lab6DynamicConfig::mirror).requires("file-provider").about("routers/" + ROUTER),
                new Check("live-reload", "A changed file applies without restarting the proxy: 50/50 within seconds, and back", 25,
                        "the proxy must watch its dynamic folder: --providers.file.watch=true (not false), the folder a bind mount "
                                + "of the lab's own folder (./dynamic:/etc/switchboard/dynamic:ro)",
                        Lab6DynamicConfig::liveReload).requires("file-provider").about("routers/" + ROUTER));
    }

    private static void versionsFromDocker(LabContext lab) throws Exception {
        List<String> notes = new ArrayList<>();
        for (String version : List.of(V1, V2, SHADOW)) {
            JsonNode service;
            try {
                service = Labs.service(lab, version + "@docker");
            } catch (CheckFailed e) {
                throw new CheckFailed("the proxy has no service " + version + "@docker: the Docker provider did not find the "
                        + "labels of " + version);
            }
            int up = 0;
            for (JsonNode s : service.path("serverStatus")) {
                up += "UP".equals(s.asText()) ? 1 : 0;
            }
            if (up == 0) {
                throw new CheckFailed("service " + version + "@docker has no server UP: " + service.path("serverStatus"));
            }
            notes.add(version + "@docker: " + up + " server(s)");
        }
        lab.note(String.join(", ", notes));
    }

    private static void fileProvider(LabContext lab) throws Exception {
        JsonNode router = Labs.router(lab, ROUTER);
        if (!"enabled".equals(router.path("status").asText())) {
            throw new CheckFailed("router " + ROUTER + " is " + router.path("status").asText() + ": " + router.path("error"),
                    "read the router's error on the dashboard (port 8080) and fix that file");
        }
        lab.note("rule " + router.path("rule").asText() + " -> " + router.path("service").asText());
    }

    /** Which version each replica name belongs to: the producer's names, asked of each replica directly. */
    private static Map<String, String> versions(LabContext lab) throws Exception {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String version : List.of(V1, V2, SHADOW)) {
            for (String name : Labs.replicasByInstance(lab, version).keySet()) {
                byName.put(name, version);
            }
        }
        return byName;
    }

    /** {@code n} requests without cookies, counted by version. */
    private static Map<String, Integer> split(LabContext lab, Map<String, String> versions, int n) {
        Map<String, Integer> counts = new TreeMap<>();
        lab.spread(n, i -> lab.request(HOST, "/instance"), r -> versions.getOrDefault(LabContext.instance(r), "?"))
                .forEach((k, v) -> counts.merge(k, v, Integer::sum));
        return counts;
    }

    private static void canarySplit(LabContext lab) throws Exception {
        Map<String, String> versions = versions(lab);
        Map<String, Integer> counts = split(lab, versions, 100);
        int v1 = counts.getOrDefault(V1, 0);
        int v2 = counts.getOrDefault(V2, 0);
        lab.note("100 requests: " + counts);
        if (v1 + v2 != 100) {
            throw new CheckFailed("100 requests for " + HOST + " were answered " + counts + ": every answer should come from "
                    + V1 + " or " + V2 + (counts.containsKey(SHADOW) ? " (the shadow must never answer a client)" : ""));
        }
        if (v2 < 5 || v2 > 16) {
            throw new CheckFailed("100 requests for " + HOST + " were answered " + counts + ", not about 90/10", weightsHint(lab));
        }
    }

    /** The weights of the weighted service behind the router, as the dashboard shows them, when they are not 90/10. */
    private static String weightsHint(LabContext lab) {
        try {
            JsonNode weighted = weightedBehindRouter(lab);
            Map<String, Integer> weights = new LinkedHashMap<>();
            weighted.path("weighted").path("services").forEach(c -> weights.put(c.path("name").asText(), c.path("weight").asInt(1)));
            int v1 = weights.getOrDefault(V1 + "@docker", 0);
            int v2 = weights.getOrDefault(V2 + "@docker", 0);
            if (v2 > v1) {
                return "the weights are the other way round: the service " + weighted.path("name").asText() + " gives " + V1
                        + "@docker weight " + v1 + " and the canary " + V2 + "@docker weight " + v2 + "; the canary gets the "
                        + "small share (weight 10), " + V1 + " weight 90";
            }
            return "the service " + weighted.path("name").asText() + " has the weights " + weights + ": " + V1 + "@docker with "
                    + "weight 90 and " + V2 + "@docker with weight 10";
        } catch (Exception e) {
            return null;
        }
    }

    private static void stickyVersion(LabContext lab) throws Exception {
        Map<String, String> versions = versions(lab);
        ContentResponse canary = null;
        boolean anyCookie = false;
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 60 && canary == null; i++) {
            ContentResponse r = lab.get(HOST, "/instance");
            boolean cookie = r.getHeaders().contains(HttpHeader.SET_COOKIE);
            anyCookie |= cookie;
            String version = versions.getOrDefault(LabContext.instance(r), "status " + r.getStatus());
            seen.add(version);
            if (cookie && V2.equals(version)) {
                canary = r;
            }
        }
        if (!anyCookie) {
            throw new CheckFailed("60 answers for " + HOST + " and none set a cookie");
        }
        if (canary == null) {
            throw new CheckFailed("60 requests without a cookie, none answered by " + V2 + " with a cookie: "
                    + count(seen), "the canary must get about one request in ten: see the check of the 90/10 split");
        }
        List<String> cookies = new ArrayList<>();
        for (HttpField f : canary.getHeaders().getFields(HttpHeader.SET_COOKIE)) {
            cookies.add(f.getValue().split(";", 2)[0].trim());
        }
        String cookie = String.join("; ", cookies);
        List<String> withCookie = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ContentResponse r = lab.request(HOST, "/instance").headers(h -> h.put(HttpHeader.COOKIE, cookie)).send();
            withCookie.add(versions.getOrDefault(LabContext.instance(r), "status " + r.getStatus()));
        }
        Map<String, Integer> counts = count(withCookie);
        if (counts.getOrDefault(V2, 0) != 20) {
            throw new CheckFailed("with the cookie " + cookie + " from an answer of " + V2 + ", 20 requests went " + counts);
        }
        lab.note("cookie " + cookie + " from " + V2 + ": 20 of 20 requests to " + V2);
    }

    private static void mirror(LabContext lab) throws Exception {
        Map<String, String> versions = versions(lab);
        List<Integer> shadows = lab.topology().replicas(SHADOW);
        long before = served(lab, shadows);
        int n = 40;
        Map<String, Integer> answers = split(lab, versions, n);
        int[] reads = {1};
        long[] copies = {0};
        LabContext.eventually(Duration.ofSeconds(10), () -> {
            reads[0] += shadows.size();
            copies[0] = served(lab, shadows) - before - reads[0] + 1;
            return copies[0] >= n;
        });
        if (answers.containsKey(SHADOW)) {
            throw new CheckFailed(n + " requests were answered " + answers + ": the shadow answered clients",
                    "a mirror gets copies; its answers are dropped: app1-shadow@docker belongs in mirrors:, not in the weighted service");
        }
        if (answers.getOrDefault(V1, 0) + answers.getOrDefault(V2, 0) != n) {
            throw new CheckFailed(n + " requests were answered " + answers);
        }
        if (copies[0] < n / 2) {
            throw new CheckFailed(n + " requests for " + HOST + " (answered " + answers + "), and " + SHADOW + " received "
                    + Math.max(0, copies[0]) + " copies of them (its /instance requestsServed), not at least half", mirrorHint(lab));
        }
        lab.note(n + " requests answered " + answers + "; " + SHADOW + " received " + copies[0] + " copies");
    }

    /** What the dashboard shows of the mirrors of the router's service: which, and what percent of the requests each gets. */
    private static String mirrorHint(LabContext lab) {
        try {
            JsonNode service = Labs.serviceOfRouter(lab, ROUTER);
            List<String> mirrors = new ArrayList<>();
            service.path("mirroring").path("mirrors").forEach(m -> mirrors.add(m.path("name").asText() + " with percent: "
                    + m.path("percent").asInt(0)));
            if (!service.has("mirroring")) {
                return "the router " + ROUTER + " sends to " + service.path("name").asText() + ", which is not a mirroring service: "
                        + "make it one (service: app1-canary, mirrors: - name: app1-shadow@docker, percent: 100)";
            }
            return "the mirroring service " + service.path("name").asText() + " has the mirrors " + mirrors
                    + ": every request is copied with percent: 100";
        } catch (Exception e) {
            return null;
        }
    }

    /** Application requests served by these replicas so far (each read counts itself). */
    private static long served(LabContext lab, List<Integer> replicas) throws Exception {
        long total = 0;
        for (int replica : replicas) {
            total += Labs.instance(lab, SHADOW, replica).path("requestsServed").asLong();
        }
        return total;
    }

    /**
     * Writes new weights into the watched folder and sees the traffic follow, then takes them away and
     * sees it come back. The new weights are judged against the student's own split, measured first
     * (not against 90/10: weights the other way round lose the split's points, not these too): 50/50,
     * or 90/10 if the student's split is near 50/50 already.
     */
    private static void liveReload(LabContext lab) throws Exception {
        Map<String, String> versions = versions(lab);
        JsonNode weighted = weightedBehindRouter(lab);
        String name = weighted.path("name").asText();
        List<String> children = new ArrayList<>();
        weighted.path("weighted").path("services").forEach(s -> children.add(s.path("name").asText()));
        String liveFile = watchedFolder(lab) + "/" + LIVE_FILE;
        String startDate = startDate(lab);
        double before = share(split(lab, versions, 40), V2);
        boolean even = before >= 0.3 && before <= 0.7;
        double target = even ? 0.1 : 0.5;
        String weights = even ? "90/10" : "50/50";

        StringBuilder yaml = new StringBuilder("# Written by the lab 6 grader into its copy of your folder: the canary at " + weights
                + ".\n# Defined in a file that sorts first, this definition of " + name + " wins over yours.\nhttp:\n  services:\n    "
                + name.replaceFirst("@file$", "") + ":\n      weighted:\n        services:\n");
        for (String child : children) {
            yaml.append("          - name: ").append(child).append("\n            weight: ")
                    .append(even && !child.startsWith(V1 + "@") ? 1 : even ? 9 : 1).append('\n');
        }
        long written = System.nanoTime();
        lab.topology().writeFile(liveFile, yaml.toString());
        java.util.concurrent.atomic.AtomicReference<Map<String, Integer>> last = new java.util.concurrent.atomic.AtomicReference<>(Map.of());
        boolean moved = LabContext.eventually(Duration.ofSeconds(15), () -> {
            last.set(split(lab, versions, 20));
            return Math.abs(share(last.get(), V2) - target) <= 0.2;
        });
        if (!moved) {
            throw new CheckFailed("the grader wrote " + liveFile + " (in its copy of your folder) with " + name
                    + " at " + weights + "; 15 s later 20 requests still went " + last.get());
        }
        long movedAfter = (System.nanoTime() - written) / 1_000_000;
        Map<String, Integer> after = split(lab, versions, 100);
        if (Math.abs(share(after, V2) - target) > 0.15) {
            throw new CheckFailed("after the weights went to " + weights + ", 100 requests went " + after);
        }
        if (!startDate.equals(startDate(lab))) {
            throw new CheckFailed("the proxy restarted (its start date went from " + startDate + " to " + startDate(lab) + ")",
                    "the change must apply while the proxy runs: do not restart the reverse-proxy");
        }
        lab.topology().writeFile(liveFile, "# The grader's change is over: your files define everything again.\nhttp: {}\n");
        boolean back = LabContext.eventually(Duration.ofSeconds(15), () -> {
            last.set(split(lab, versions, 20));
            return Math.abs(share(last.get(), V2) - before) <= 0.2;
        });
        if (!back) {
            throw new CheckFailed("the grader emptied " + liveFile + " again; 15 s later 20 requests still went " + last.get()
                    + ", not back to your weights (" + Lab7Algorithms.percent(before) + " to " + V2 + " before)");
        }
        lab.note("wrote " + LIVE_FILE + " (" + name + " at " + weights + "): traffic moved within " + movedAfter + " ms, 100 "
                + "requests " + after + "; proxy started at " + startDate + " still; emptied it: back to " + last.get() + " of 20");
    }

    /** The share of {@code key} in counts. */
    private static double share(Map<String, Integer> counts, String key) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        return total == 0 ? 0 : counts.getOrDefault(key, 0) / (double) total;
    }

    /** The weighted service the router app1@file sends to, directly or as the main service of a mirroring one. */
    private static JsonNode weightedBehindRouter(LabContext lab) throws Exception {
        JsonNode service = Labs.serviceOfRouter(lab, ROUTER);
        for (int depth = 0; depth < 4; depth++) {
            if (service.has("weighted")) {
                return service;
            }
            JsonNode next = service.has("mirroring") ? service.path("mirroring").path("service")
                    : service.has("failover") ? service.path("failover").path("service") : null;
            if (next == null) {
                break;
            }
            String nextName = next.asText().contains("@") ? next.asText() : next.asText() + "@" + service.path("provider").asText();
            service = Labs.service(lab, nextName);
        }
        throw new CheckFailed("the router " + ROUTER + " does not send to a weighted service (it sends to "
                + Labs.serviceOfRouter(lab, ROUTER).path("name").asText() + ")",
                "the canary is a weighted service (app1-canary in dynamic/canary.yml), reached from the router app1 "
                        + "directly or through the mirroring service app1");
    }

    /**
     * The lab-folder path of the folder the proxy's file provider reads: the bind mount of the
     * reverse-proxy that shows {@code --providers.file.directory} (how the student set the proxy up,
     * read from the compose file only to know where to write, never graded).
     */
    private static String watchedFolder(LabContext lab) {
        return DynamicFolder.of(lab, "./dynamic:/etc/switchboard/dynamic:ro");
    }

    /** The proxy's start date from the API ({@code /api/version}, as Traefik's). */
    private static String startDate(LabContext lab) throws Exception {
        return lab.api("/api/version").path("startDate").asText();
    }

    private static Map<String, Integer> count(List<String> values) {
        Map<String, Integer> counts = new TreeMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        return counts;
    }
}
