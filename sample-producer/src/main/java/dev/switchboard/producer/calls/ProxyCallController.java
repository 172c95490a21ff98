package dev.switchboard.producer.calls;

import dev.switchboard.producer.ProducerProperties;
import dev.switchboard.producer.instance.InstanceHeaderFilter;
import dev.switchboard.producer.instance.InstanceIdentity;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /call/{service}/{path...}}: calls {@code <REVERSE_PROXY_URL>/{service}/{path...}}, the course's
 * inter-container pattern ({@code http://reverse-proxy/app2/...}: the proxy routes by path prefix, strips it,
 * and balances over the other service's replicas), and reports what came back and which replica answered.
 * {@code ?times=N} repeats the call and counts answers per replica, to watch the balancing from inside.
 */
@RestController
public class ProxyCallController {
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final int MAX_TIMES = 100;
    private static final int MAX_TEXT = 2000;

    private final ProducerProperties properties;
    private final InstanceIdentity identity;
    private final JsonMapper json;
    private final HttpClient client;

    public ProxyCallController(ProducerProperties properties, InstanceIdentity identity, JsonMapper json) {
        this.properties = properties;
        this.identity = identity;
        this.json = json;
        this.client = HttpClient.newBuilder()
                .connectTimeout(properties.callTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @GetMapping({"/call/{service}", "/call/{service}/**"})
    public ResponseEntity<Map<String, Object>> call(@PathVariable String service,
                                                    @RequestParam(defaultValue = "1") int times,
                                                    HttpServletRequest request) {
        if (!SERVICE.matcher(service).matches()) {
            throw badRequest("service must be a path segment such as app2, got " + service);
        }
        if (times < 1 || times > MAX_TIMES) {
            throw badRequest("times must be between 1 and " + MAX_TIMES + ", got " + times);
        }
        URI target = target(service, request);
        List<Map<String, Object>> calls = new ArrayList<>();
        Map<String, Integer> answeredBy = new TreeMap<>();
        int failures = 0;
        for (int i = 0; i < times; i++) {
            Map<String, Object> call = callOnce(target);
            calls.add(call);
            Object instance = call.get("instance");
            if (instance != null) {
                answeredBy.merge(instance.toString(), 1, Integer::sum);
            }
            if (call.containsKey("error")) {
                failures++;
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("caller", identity.name());
        report.put("target", target.toString());
        report.put("answeredBy", answeredBy);
        report.put("calls", calls);
        // Every call failed to get any answer: this service could not reach the other one (502, as a gateway).
        return ResponseEntity.status(failures == times ? HttpStatus.BAD_GATEWAY : HttpStatus.OK).body(report);
    }

    private URI target(String service, HttpServletRequest request) {
        String path = request.getRequestURI();
        String marker = "/call/" + service;
        String rest = path.substring(path.indexOf(marker) + marker.length());
        String query = request.getQueryString() == null ? "" : request.getQueryString()
                .replaceAll("(^|&)times=[^&]*", "").replaceFirst("^&", "");
        String base = properties.reverseProxyUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/" + service + rest + (query.isEmpty() ? "" : "?" + query));
    }

    private Map<String, Object> callOnce(URI target) {
        Map<String, Object> call = new LinkedHashMap<>();
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(target)
                    .timeout(properties.callTimeout())
                    .header("Accept", "application/json")
                    .header("X-Called-By", identity.name())
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            call.put("status", response.statusCode());
            call.put("instance", response.headers().firstValue(InstanceHeaderFilter.HEADER).orElse(null));
            call.put("durationMs", (System.nanoTime() - start) / 1_000_000);
            call.put("body", body(response));
        } catch (IOException e) {
            call.put("error", describe(e));
            call.put("durationMs", (System.nanoTime() - start) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.put("error", "interrupted");
        }
        return call;
    }

    /** JSON bodies as JSON, anything else as (truncated) text. */
    private Object body(HttpResponse<byte[]> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.contains("json")) {
            try {
                return json.readTree(response.body());
            } catch (JacksonException e) {
                // fall through to text
            }
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text;
    }

    /** "ConnectException: UnresolvedAddressException" rather than a bare class name with a null message. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t != e) {
                text.append(": ").append(t.getClass().getSimpleName());
            }
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
                break;
            }
        }
        return text.toString();
    }

    private static ErrorResponseException badRequest(String detail) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST,
                ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail), null);
    }
}
