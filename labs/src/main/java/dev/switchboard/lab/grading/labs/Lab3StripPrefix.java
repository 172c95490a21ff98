package dev.switchboard.lab.grading.labs;

import dev.switchboard.lab.grading.Check;
import dev.switchboard.lab.grading.CheckFailed;
import dev.switchboard.lab.grading.LabContext;
import dev.switchboard.lab.grading.LabSuite;
import java.net.URI;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;

/**
 * Lab 3, path prefixes and the StripPrefix middleware: the handout's
 * {@code Host(`app1.localhost`) || PathPrefix(`/app1`)} with a {@code stripprefix} middleware attached,
 * so {@code /app1/users} reaches the producer as {@code /users}, and the links it answers keep the
 * prefix because the middleware says what it removed ({@code X-Forwarded-Prefix}).
 */
public final class Lab3StripPrefix implements LabSuite {
    static final String HOST = "app1.localhost";
    static final String PREFIX = "/app1";
    static final String ROUTER = "app1@docker";

    @Override
    public String lab() {
        return "lab3";
    }

    @Override
    public String title() {
        return "Path prefixes and StripPrefix";
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("host-route", "Requests for app1.localhost still reach app1 (the Host rule)", 15,
                        "keep Host(`app1.localhost`) in the rule and add the prefix with ||: "
                                + "Host(`app1.localhost`) || PathPrefix(`/app1`)",
                        lab -> {
                            ContentResponse r = lab.get(HOST, "/users?limit=1");
                            if (r.getStatus() == 404 && r.getHeaders().get("X-Instance") == null) {
                                throw new CheckFailed("GET /users with Host: " + HOST + " answered 404 from the proxy: no router matched",
                                        Labs.routerProblem(lab, ROUTER).orElse(null));
                            }
                            Labs.expectProducer(lab, r, "GET /users with Host: " + HOST, ROUTER);
                            lab.note("answered by " + LabContext.instance(r));
                        }).about("routers/" + ROUTER),
                new Check("prefix-route", "Requests for /app1/... reach app1, whatever the host", 20,
                        "add the prefix to app1's rule: Host(`app1.localhost`) || PathPrefix(`/app1`), so requests to "
                                + "http://localhost/app1/... (with no app1.localhost host) match too",
                        lab -> {
                            ContentResponse r = lab.get(PREFIX + "/instance");
                            if (r.getStatus() == 404 && r.getHeaders().get("X-Instance") == null) {
                                throw new CheckFailed("GET " + PREFIX + "/instance (Host: " + lab.web().getAuthority() + ") answered "
                                        + r.getStatus() + " from the proxy, not from app1: " + Labs.shorten(r.getContentAsString()),
                                        Labs.routerProblem(lab, ROUTER).map(p -> p + "; for every host, add the prefix: "
                                                + "Host(`app1.localhost`) || PathPrefix(`/app1`)").orElse(null));
                            }
                            if (r.getHeaders().get("X-Instance") == null) {
                                Labs.expectProducer(lab, r, "GET " + PREFIX + "/instance (Host: " + lab.web().getAuthority() + ")",
                                        ROUTER);
                            }
                            lab.note(PREFIX + "/instance reached " + LabContext.instance(r) + " (" + r.getStatus() + ")");
                        }).about("routers/" + ROUTER),
                new Check("prefix-stripped", "/app1/users answers the users: the proxy strips /app1", 25,
                        "define a stripprefix middleware (traefik.http.middlewares.app1-strip.stripprefix.prefixes=/app1) and "
                                + "attach it to the router (traefik.http.routers.app1.middlewares=app1-strip)",
                        Lab3StripPrefix::prefixStripped).requires("prefix-route").about("routers/" + ROUTER),
                new Check("links-keep-prefix", "Links app1 answers keep the /app1 prefix, and work through the proxy", 25,
                        "the producer builds its links from the X-Forwarded-Prefix header, which only the stripprefix middleware "
                                + "sends: strip the prefix with stripprefix, not by rewriting the path (replacepath, "
                                + "replacepathregex)",
                        Lab3StripPrefix::linksKeepPrefix).requires("prefix-stripped").about("routers/" + ROUTER),
                new Check("prefix-only", "Paths outside /app1 on another host are not sent to app1 (404)", 15,
                        "the prefix rule should match /app1 only: PathPrefix(`/app1`), not PathPrefix(`/`) or a rule that "
                                + "matches every request",
                        lab -> {
                            ContentResponse r = lab.get("/users?limit=1");
                            if (r.getStatus() != 404 || r.getHeaders().get("X-Instance") != null) {
                                throw new CheckFailed("GET /users (Host: " + lab.web().getAuthority() + ") answered " + r.getStatus()
                                        + (r.getHeaders().get("X-Instance") != null ? " from app1 (" + LabContext.instance(r) + ")" : "")
                                        + " instead of the proxy's 404", Labs.routerProblem(lab, ROUTER)
                                                .filter(p -> p.contains(" has the rule "))
                                                .map(p -> p.replaceFirst(", which this request does not match.*$",
                                                        ", which matches paths outside /app1 too: PathPrefix(`/app1`)"))
                                                .orElse(null));
                            }
                        }).requires("prefix-route"));
    }

    private static void prefixStripped(LabContext lab) throws Exception {
        ContentResponse r = lab.get(PREFIX + "/users?limit=10");
        if (r.getStatus() == 200 && r.getContentAsString().contains("Ada Lovelace")) {
            lab.note(PREFIX + "/users answered by " + LabContext.instance(r));
            return;
        }
        if (r.getStatus() == 404 && r.getHeaders().get("X-Instance") != null) {
            throw new CheckFailed("GET " + PREFIX + "/users reached app1 (" + LabContext.instance(r) + ") with the prefix still "
                    + "on: it answered 404 (" + Labs.shorten(r.getContentAsString()) + ")", Labs.stripPrefixHint(lab, ROUTER, PREFIX));
        }
        Labs.expectProducer(r, "GET " + PREFIX + "/users");
        throw new CheckFailed("GET " + PREFIX + "/users answered " + Labs.shorten(r.getContentAsString()) + ", without the seeded users",
                "app1 must reach the database: keep SPRING_DATASOURCE_URL and both services on shared-network");
    }

    private static void linksKeepPrefix(LabContext lab) throws Exception {
        String lookup = PREFIX + "/users/lookup?email=ada.lovelace@example.org";
        ContentResponse r = lab.get(lookup);
        String location = r.getHeaders().get("Location");
        if (r.getStatus() != 303 || location == null) {
            Labs.expectProducer(r, "GET " + lookup);
            throw new CheckFailed("GET " + lookup + " answered " + r.getStatus() + " without a redirect to the user");
        }
        URI link = lab.web().resolve(location);
        if (!link.getPath().startsWith(PREFIX + "/users/")) {
            throw new CheckFailed("GET " + lookup + " redirected to " + location + ": the link has lost " + PREFIX
                    + ", so through the proxy it leads nowhere");
        }
        ContentResponse followed = lab.get(link.getRawPath());
        if (followed.getStatus() != 200 || !followed.getContentAsString().contains("Ada Lovelace")) {
            throw new CheckFailed("the link " + location + " answered " + followed.getStatus() + ": "
                    + Labs.shorten(followed.getContentAsString()));
        }
        lab.note(lookup + " -> " + location + " -> 200");
    }
}
