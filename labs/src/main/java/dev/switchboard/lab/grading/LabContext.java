package dev.switchboard.lab.grading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.lab.topology.Topology;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * What a check works with: the running topology and an HTTP client that talks to it the way a
 * student's curl would (any Host header, no redirects followed), plus helpers for the usual questions:
 * which replica answered, how requests spread, what the proxy's API says.
 */
public final class LabContext implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Topology topology;
    private final String proxy;
    private final HttpClient http;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Report.Attachment> attachments = new java.util.LinkedHashMap<>();
    private final Map<String, String> knownFalse = new java.util.concurrent.ConcurrentHashMap<>();

    public LabContext(Topology topology, String proxyService) throws Exception {
        this.topology = topology;
        this.proxy = proxyService;
        this.http = new HttpClient();
        http.setFollowRedirects(false);
        // As curl without -b/-c: no cookie is kept between requests unless a check sends it itself
        // (lab 6 tells a sticky client from a fresh one by exactly that).
        http.setHttpCookieStore(new org.eclipse.jetty.http.HttpCookieStore.Empty());
        http.setMaxConnectionsPerDestination(64);
        http.setConnectTimeout(5000);
        http.start();
    }

    public Topology topology() {
        return topology;
    }

    public HttpClient http() {
        return http;
    }

    /** The proxy's entry point on container port 80, as published. */
    public URI web() {
        return topology.published(proxy, 80);
    }

    /** The proxy's API and dashboard on container port 8080, as published. */
    public URI apiBase() {
        return topology.published(proxy, 8080);
    }

    /** A request through the proxy's entry point; {@code host} null sends the published address as Host. */
    public Request request(String host, String path) {
        Request r = http.newRequest(web().resolve(path)).timeout(10, TimeUnit.SECONDS);
        if (host != null) {
            r.headers(h -> h.put("Host", host));
        }
        return r;
    }

    public ContentResponse get(String host, String path) throws Exception {
        return request(host, path).send();
    }

    public ContentResponse get(String path) throws Exception {
        return get(null, path);
    }

    /** The proxy's API ({@code /api/...}) as JSON; fails the check if it does not answer 200. */
    public JsonNode api(String path) throws Exception {
        ContentResponse r = http.newRequest(apiBase().resolve(path)).timeout(10, TimeUnit.SECONDS).send();
        if (r.getStatus() != 200) {
            throw new CheckFailed("the proxy's API answered " + r.getStatus() + " for " + path,
                    "the API is on port 8080 with --api.insecure=true in the reverse-proxy's command");
        }
        return JSON.readTree(r.getContentAsString());
    }

    /**
     * The proxy's API at {@code path} as JSON, or empty when it answers 404 (no such router, say);
     * fails the check when the API does not answer.
     */
    public java.util.Optional<JsonNode> apiIfPresent(String path) throws Exception {
        ContentResponse r = http.newRequest(apiBase().resolve(path)).timeout(10, TimeUnit.SECONDS).send();
        if (r.getStatus() == 404) {
            return java.util.Optional.empty();
        }
        if (r.getStatus() != 200) {
            throw new CheckFailed("the proxy's API answered " + r.getStatus() + " for " + path,
                    "the API is on port 8080 with --api.insecure=true in the reverse-proxy's command");
        }
        return java.util.Optional.of(JSON.readTree(r.getContentAsString()));
    }

    /** The proxy's own output so far (its log, and the access log when it goes to the output). */
    public String proxyLog() {
        return topology.logs(proxy);
    }

    /**
     * Remembers that a precondition several checks need does not hold ({@code "servers-up"}), with
     * what showed it: a later check that needs it calls {@link #require} and ends at once instead of
     * waiting for what cannot happen.
     */
    public void knowFalse(String precondition, String observed) {
        knownFalse.putIfAbsent(precondition, observed);
    }

    /**
     * Fails the check at once, as "not checked", if an earlier check showed that {@code precondition}
     * does not hold; {@code hint} says what to fix.
     */
    public void require(String precondition, String hint) {
        String observed = knownFalse.get(precondition);
        if (observed != null) {
            throw new CheckFailed("not checked: " + observed, hint);
        }
    }

    /** The replica that answered: the producer's {@code X-Instance} header. */
    public static String instance(ContentResponse response) {
        String i = response.getHeaders().get("X-Instance");
        return i == null ? "?" : i;
    }

    /**
     * Sends {@code n} requests and counts the answers by {@code key} (e.g. {@link #instance}). Failed
     * requests count under {@code "error: <what>"}.
     */
    public Map<String, Integer> spread(int n, Function<Integer, Request> request, Function<ContentResponse, String> key) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String k;
            try {
                ContentResponse r = request.apply(i).send();
                k = r.getStatus() == 200 ? key.apply(r) : "status " + r.getStatus();
            } catch (Exception e) {
                k = "error: " + e.getClass().getSimpleName();
            }
            counts.merge(k, 1, Integer::sum);
        }
        return counts;
    }

    /** Polls {@code condition} until it holds or {@code patience} runs out; returns whether it held. */
    public static boolean eventually(Duration patience, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                if (condition.holds()) {
                    return true;
                }
            } catch (Exception e) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
    }

    /** A condition for {@link #eventually}. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Adds an observation to the check's result (what was seen when it passed). */
    public void note(String observation) {
        notes.add(observation);
    }

    /**
     * Adds a file to the report ({@code algorithms.svg}): written next to report.md and linked from
     * it. A later attachment with the same name replaces the earlier one.
     */
    public void attach(String fileName, String description, String content) {
        attachments.put(fileName, new Report.Attachment(fileName, description, content));
    }

    List<Report.Attachment> attachments() {
        return List.copyOf(attachments.values());
    }

    List<String> takeNotes() {
        List<String> out = List.copyOf(notes);
        notes.clear();
        return out;
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
