package dev.switchboard.producer.faults;

import dev.switchboard.producer.ProducerProperties;
import dev.switchboard.producer.instance.InstanceIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/faults}: read and change this replica's faults while it runs.
 *
 * <p>Protected from accidental use, not from attackers (it is a lab service): reading is open; changing needs a
 * write method and the header {@code X-Admin-Token} equal to FAULT_ADMIN_TOKEN (default {@code switchboard});
 * FAULT_ADMIN_ENABLED=false turns the endpoint off. Through a load balancer a call lands on any replica:
 * {@code ?instance=NAME} makes every other replica refuse it with 421 Misdirected Request, so a script repeats
 * it until the named replica takes it (or call the replica directly, e.g. with {@code docker exec}).
 *
 * <p>Fields, in a JSON body or as query parameters: {@code latencyMs} (250 or "100-500"), {@code errorRate}
 * (0.2 or "20%"), {@code errorStatus} (500), {@code hang}, {@code unhealthy}, {@code crashAfter} (requests, or
 * "30s"). PATCH changes the fields given; PUT sets them all (absent = off); DELETE turns everything off.
 */
@RestController
@RequestMapping("/admin")
public class FaultAdminController {
    public static final String TOKEN_HEADER = "X-Admin-Token";
    private static final Set<String> FIELDS =
            Set.of("latencyMs", "errorRate", "errorStatus", "hang", "unhealthy", "crashAfter");

    private final FaultInjector faults;
    private final InstanceIdentity identity;
    private final ProducerProperties.Faults config;

    public FaultAdminController(FaultInjector faults, InstanceIdentity identity, ProducerProperties properties) {
        this.faults = faults;
        this.identity = identity;
        this.config = properties.faults();
    }

    @GetMapping("/faults")
    public Map<String, Object> get(@RequestParam(required = false) String instance) {
        checkEnabledAndTarget(instance);
        return view();
    }

    @PatchMapping("/faults")
    public Map<String, Object> patch(@RequestHeader(value = TOKEN_HEADER, required = false) String token,
                                     @RequestParam Map<String, String> query,
                                     @RequestBody(required = false) Map<String, Object> body) {
        authorize(token, query.get("instance"));
        faults.apply(merge(faults.settings(), fields(query, body)));
        return view();
    }

    @PutMapping("/faults")
    public Map<String, Object> put(@RequestHeader(value = TOKEN_HEADER, required = false) String token,
                                   @RequestParam Map<String, String> query,
                                   @RequestBody(required = false) Map<String, Object> body) {
        authorize(token, query.get("instance"));
        faults.apply(merge(FaultSettings.NONE, fields(query, body)));
        return view();
    }

    @DeleteMapping("/faults")
    public Map<String, Object> clear(@RequestHeader(value = TOKEN_HEADER, required = false) String token,
                                     @RequestParam(required = false) String instance) {
        authorize(token, instance);
        faults.apply(FaultSettings.NONE);
        return view();
    }

    /** Exits the process (status 1) right after answering 202, like a crash. */
    @PostMapping("/crash")
    public ResponseEntity<Map<String, Object>> crash(@RequestHeader(value = TOKEN_HEADER, required = false) String token,
                                                     @RequestParam(required = false) String instance) {
        authorize(token, instance);
        faults.crashSoon("crash requested through /admin/crash");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instance", identity.name());
        body.put("crashing", true);
        return ResponseEntity.accepted().body(body);
    }

    private Map<String, Object> view() {
        FaultSettings s = faults.settings();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("instance", identity.name());
        view.put("latencyMs", s.latency().minMs());
        view.put("latencyMaxMs", s.latency().maxMs());
        view.put("errorRate", s.errorRate());
        view.put("errorStatus", s.errorStatus());
        view.put("hang", s.hang());
        view.put("unhealthy", s.unhealthy());
        view.put("crashAfterRequests", s.crash().requests());
        view.put("crashAfterMs", s.crash().after() == null ? null : s.crash().after().toMillis());
        view.put("active", FaultInjector.describe(s));
        view.put("setAt", faults.setAt());
        view.put("requestsSinceSet", faults.requestsSinceSet());
        view.put("now", Instant.now());
        return view;
    }

    private void checkEnabledAndTarget(String instance) {
        if (!config.adminEnabled()) {
            throw problem(HttpStatus.NOT_FOUND, "Admin endpoint disabled",
                    "the fault admin endpoint is off on this replica (FAULT_ADMIN_ENABLED=false)");
        }
        if (instance != null && !instance.isBlank() && !instance.equals(identity.name())) {
            throw problem(HttpStatus.MISDIRECTED_REQUEST, "Misdirected Request",
                    "this is replica " + identity.name() + ", not " + instance + "; send it again");
        }
    }

    private void authorize(String token, String instance) {
        checkEnabledAndTarget(instance);
        byte[] expected = config.adminToken() == null ? new byte[0] : config.adminToken().getBytes(StandardCharsets.UTF_8);
        if (token == null || !MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8))) {
            throw problem(HttpStatus.FORBIDDEN, "Admin token required",
                    "changing faults needs the header " + TOKEN_HEADER + " with this replica's FAULT_ADMIN_TOKEN");
        }
    }

    private static Map<String, Object> fields(Map<String, String> query, Map<String, Object> body) {
        Map<String, Object> fields = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (!k.equals("instance")) {
                fields.put(k, v);
            }
        });
        if (body != null) {
            fields.putAll(body);
        }
        for (String name : fields.keySet()) {
            if (!FIELDS.contains(name)) {
                throw problem(HttpStatus.BAD_REQUEST, "Unknown fault", "unknown field " + name + "; known: "
                        + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
        }
        return fields;
    }

    /** {@code base} with the given fields changed; a bad value is a 400 naming the field. */
    static FaultSettings merge(FaultSettings base, Map<String, Object> fields) {
        FaultSettings.Latency latency = base.latency();
        double errorRate = base.errorRate();
        int errorStatus = base.errorStatus();
        boolean hang = base.hang();
        boolean unhealthy = base.unhealthy();
        FaultSettings.Crash crash = base.crash();
        String field = null;
        try {
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                field = e.getKey();
                String text = e.getValue() == null ? "" : e.getValue().toString().strip();
                switch (field) {
                    case "latencyMs" -> latency = FaultSettings.Latency.parse(text);
                    case "errorRate" -> errorRate = FaultSettings.parseRate(text);
                    case "errorStatus" -> errorStatus = text.isEmpty() ? 500 : Integer.parseInt(text);
                    case "hang" -> hang = bool(text);
                    case "unhealthy" -> unhealthy = bool(text);
                    case "crashAfter" -> crash = FaultSettings.Crash.parse(text);
                    default -> throw new IllegalArgumentException("unknown field");
                }
            }
            return new FaultSettings(latency, errorRate, errorStatus, hang, unhealthy, crash);
        } catch (IllegalArgumentException e) {
            String detail = e instanceof NumberFormatException ? "expected a number" : e.getMessage();
            throw problem(HttpStatus.BAD_REQUEST, "Invalid fault", (field == null ? "" : field + ": ") + detail);
        }
    }

    private static boolean bool(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0", "":
                return false;
            default:
                throw new IllegalArgumentException("expected true or false, got " + text);
        }
    }

    private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }
}
