package dev.switchboard.proxy.config.dynamic;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A middleware is exactly one kind, written {@code <name>: {stripPrefix: {...}}} in files and
 * {@code traefik.http.middlewares.<name>.stripprefix.prefixes=...} in labels. Option names and
 * defaults are Traefik's; each kind has one class named after it in
 * {@code dev.switchboard.proxy.middleware}.
 */
public sealed interface Middleware {

    /** Kind names as Traefik spells them. Lookups are case-insensitive (labels are lower case). */
    Map<String, Class<? extends Middleware>> KINDS = kinds();

    private static Map<String, Class<? extends Middleware>> kinds() {
        Map<String, Class<? extends Middleware>> kinds = new LinkedHashMap<>();
        kinds.put("addPrefix", AddPrefix.class);
        kinds.put("stripPrefix", StripPrefix.class);
        kinds.put("stripPrefixRegex", StripPrefixRegex.class);
        kinds.put("replacePath", ReplacePath.class);
        kinds.put("replacePathRegex", ReplacePathRegex.class);
        kinds.put("chain", Chain.class);
        kinds.put("headers", Headers.class);
        kinds.put("basicAuth", BasicAuth.class);
        kinds.put("forwardAuth", ForwardAuth.class);
        kinds.put("ipAllowList", IpAllowList.class);
        kinds.put("rateLimit", RateLimit.class);
        kinds.put("inFlightReq", InFlightReq.class);
        kinds.put("circuitBreaker", CircuitBreaker.class);
        kinds.put("buffering", Buffering.class);
        kinds.put("redirectScheme", RedirectScheme.class);
        kinds.put("redirectRegex", RedirectRegex.class);
        kinds.put("errors", Errors.class);
        kinds.put("contentType", ContentType.class);
        kinds.put("compress", Compress.class);
        kinds.put("retry", Retry.class);
        kinds.put("cache", Cache.class);
        return java.util.Collections.unmodifiableMap(kinds);
    }

    /** Traefik middleware kinds Switchboard does not build, with what to do instead. */
    Map<String, String> UNSUPPORTED_KINDS = Map.of(
            "ipWhiteList", "Traefik v3 renamed it: use ipAllowList",
            "digestAuth", "use basicAuth",
            "passTLSClientCert", "client certificates are not supported",
            "grpcWeb", "gRPC-Web is not supported",
            "plugin", "Traefik plugins are not supported",
            "encodedCharacters", "not supported",
            "stripprefixstrip", "this is Traefik v1's PathPrefixStrip: use a stripPrefix middleware");

    /** The kind name as Traefik spells it, for messages and the API. */
    default String kind() {
        for (Map.Entry<String, Class<? extends Middleware>> e : KINDS.entrySet()) {
            if (e.getValue() == getClass()) {
                return e.getKey();
            }
        }
        throw new IllegalStateException(getClass().getName());
    }

    record AddPrefix(String prefix) implements Middleware {
    }

    /** Removes the first matching prefix; {@code forceSlash} is accepted for Traefik v2 compatibility. */
    record StripPrefix(List<String> prefixes, Boolean forceSlash) implements Middleware {
        public StripPrefix {
            prefixes = Maps.copy(prefixes);
        }
    }

    record StripPrefixRegex(List<String> regex) implements Middleware {
        public StripPrefixRegex {
            regex = Maps.copy(regex);
        }
    }

    record ReplacePath(String path) implements Middleware {
    }

    record ReplacePathRegex(String regex, String replacement) implements Middleware {
    }

    record Chain(List<String> middlewares) implements Middleware {
        public Chain {
            middlewares = Maps.copy(middlewares);
        }
    }

    record Headers(
            Map<String, String> customRequestHeaders,
            Map<String, String> customResponseHeaders,
            Boolean accessControlAllowCredentials,
            List<String> accessControlAllowHeaders,
            List<String> accessControlAllowMethods,
            List<String> accessControlAllowOriginList,
            List<String> accessControlAllowOriginListRegex,
            List<String> accessControlExposeHeaders,
            Long accessControlMaxAge,
            Boolean addVaryHeader,
            List<String> allowedHosts,
            List<String> hostsProxyHeaders,
            Map<String, String> sslProxyHeaders,
            Long stsSeconds,
            Boolean stsIncludeSubdomains,
            Boolean stsPreload,
            Boolean forceSTSHeader,
            Boolean frameDeny,
            String customFrameOptionsValue,
            Boolean contentTypeNosniff,
            Boolean browserXssFilter,
            String customBrowserXSSValue,
            String contentSecurityPolicy,
            String contentSecurityPolicyReportOnly,
            String publicKey,
            String referrerPolicy,
            String permissionsPolicy,
            Boolean isDevelopment) implements Middleware {
        public Headers {
            customRequestHeaders = Maps.copy(customRequestHeaders);
            customResponseHeaders = Maps.copy(customResponseHeaders);
            accessControlAllowHeaders = Maps.copy(accessControlAllowHeaders);
            accessControlAllowMethods = Maps.copy(accessControlAllowMethods);
            accessControlAllowOriginList = Maps.copy(accessControlAllowOriginList);
            accessControlAllowOriginListRegex = Maps.copy(accessControlAllowOriginListRegex);
            accessControlExposeHeaders = Maps.copy(accessControlExposeHeaders);
            allowedHosts = Maps.copy(allowedHosts);
            hostsProxyHeaders = Maps.copy(hostsProxyHeaders);
            sslProxyHeaders = Maps.copy(sslProxyHeaders);
        }
    }

    record BasicAuth(List<String> users, String usersFile, String realm, Boolean removeHeader, String headerField)
            implements Middleware {
        public BasicAuth {
            users = Maps.copy(users);
            realm = realm == null || realm.isEmpty() ? "traefik" : realm;
            removeHeader = removeHeader != null && removeHeader;
        }
    }

    record ForwardAuth(
            String address,
            Boolean trustForwardHeader,
            List<String> authResponseHeaders,
            String authResponseHeadersRegex,
            List<String> authRequestHeaders,
            List<String> addAuthCookiesToResponse,
            String headerField,
            Boolean forwardBody,
            Long maxBodySize,
            Boolean preserveLocationHeader) implements Middleware {
        public ForwardAuth {
            trustForwardHeader = trustForwardHeader != null && trustForwardHeader;
            authResponseHeaders = Maps.copy(authResponseHeaders);
            authRequestHeaders = Maps.copy(authRequestHeaders);
            addAuthCookiesToResponse = Maps.copy(addAuthCookiesToResponse);
        }
    }

    /** Which address a request is counted or checked against. */
    record IpStrategy(Integer depth, List<String> excludedIPs, Integer ipv6Subnet) {
        public IpStrategy {
            depth = depth == null ? Integer.valueOf(0) : depth;
            excludedIPs = Maps.copy(excludedIPs);
        }
    }

    record IpAllowList(List<String> sourceRange, IpStrategy ipStrategy, Integer rejectStatusCode) implements Middleware {
        public IpAllowList {
            sourceRange = Maps.copy(sourceRange);
        }
    }

    record SourceCriterion(IpStrategy ipStrategy, String requestHeaderName, Boolean requestHost) {
        public SourceCriterion {
            requestHost = requestHost != null && requestHost;
        }
    }

    /** Token bucket: {@code average} requests per {@code period} (default 1 s), {@code burst} (default 1). */
    record RateLimit(Long average, Duration period, Long burst, SourceCriterion sourceCriterion) implements Middleware {
        public RateLimit {
            average = average == null ? Long.valueOf(0) : average;
            period = period == null ? Duration.ofSeconds(1) : period;
            burst = burst == null ? Long.valueOf(1) : burst;
        }
    }

    record InFlightReq(Long amount, SourceCriterion sourceCriterion) implements Middleware {
        public InFlightReq {
            amount = amount == null ? Long.valueOf(0) : amount;
        }
    }

    record CircuitBreaker(String expression, Duration checkPeriod, Duration fallbackDuration, Duration recoveryDuration,
            Integer responseCode) implements Middleware {
        public CircuitBreaker {
            checkPeriod = checkPeriod == null ? Duration.ofMillis(100) : checkPeriod;
            fallbackDuration = fallbackDuration == null ? Duration.ofSeconds(10) : fallbackDuration;
            recoveryDuration = recoveryDuration == null ? Duration.ofSeconds(10) : recoveryDuration;
            responseCode = responseCode == null ? Integer.valueOf(503) : responseCode;
        }
    }

    /** Reads whole bodies before passing them on; 0 (the default) means no limit. */
    record Buffering(Long maxRequestBodyBytes, Long memRequestBodyBytes, Long maxResponseBodyBytes,
            Long memResponseBodyBytes, String retryExpression) implements Middleware {
        public Buffering {
            maxRequestBodyBytes = maxRequestBodyBytes == null ? Long.valueOf(0) : maxRequestBodyBytes;
            maxResponseBodyBytes = maxResponseBodyBytes == null ? Long.valueOf(0) : maxResponseBodyBytes;
            memRequestBodyBytes = memRequestBodyBytes == null ? Long.valueOf(1048576) : memRequestBodyBytes;
            memResponseBodyBytes = memResponseBodyBytes == null ? Long.valueOf(1048576) : memResponseBodyBytes;
        }
    }

    /**
     * Redirects to another scheme (and port). {@code forcePermanentRedirect} always answers 308
     * (Traefik v3.6+).
     */
    record RedirectScheme(String scheme, String port, Boolean permanent, Boolean forcePermanentRedirect)
            implements Middleware {
        public RedirectScheme {
            permanent = permanent != null && permanent;
            forcePermanentRedirect = forcePermanentRedirect != null && forcePermanentRedirect;
        }
    }

    /** Redirects when {@code regex} matches the request URL; {@code statusCode} overrides Traefik's 30x rules. */
    record RedirectRegex(String regex, String replacement, Boolean permanent, Integer statusCode) implements Middleware {
        public RedirectRegex {
            permanent = permanent != null && permanent;
        }
    }

    record Errors(List<String> status, Map<String, Integer> statusRewrites, String service, String query)
            implements Middleware {
        public Errors {
            status = Maps.copy(status);
            statusRewrites = Maps.copy(statusRewrites);
        }
    }

    record ContentType(Boolean autoDetect) implements Middleware {
    }

    record Compress(List<String> excludedContentTypes, List<String> includedContentTypes, Integer minResponseBodyBytes,
            List<String> encodings, String defaultEncoding) implements Middleware {
        public Compress {
            excludedContentTypes = Maps.copy(excludedContentTypes);
            includedContentTypes = Maps.copy(includedContentTypes);
            minResponseBodyBytes = minResponseBodyBytes == null ? Integer.valueOf(1024) : minResponseBodyBytes;
            encodings = Maps.copy(encodings);
        }
    }

    /**
     * Retries through the balancer, so each attempt may reach another server. Traefik's options;
     * {@code maxRequestBodyBytes} bounds the body buffered for replay.
     */
    record Retry(Integer attempts, Duration initialInterval, Duration timeout, Long maxRequestBodyBytes,
            List<String> status, Boolean disableRetryOnNetworkError, Boolean retryNonIdempotentMethod) implements Middleware {
        public Retry {
            status = Maps.copy(status);
            disableRetryOnNetworkError = disableRetryOnNetworkError != null && disableRetryOnNetworkError;
            retryNonIdempotentMethod = retryNonIdempotentMethod != null && retryNonIdempotentMethod;
        }
    }

    /**
     * Switchboard's own HTTP cache (Traefik's open-source proxy has none): an RFC 9111 subset kept in
     * memory, bounded by {@code maxSizeBytes} (default 64 MiB); responses over {@code maxEntryBytes}
     * (default 1 MiB) are not stored; {@code defaultTtl} (default 0: none) is the freshness of a
     * response that states none.
     */
    record Cache(Long maxSizeBytes, Long maxEntryBytes, Duration defaultTtl) implements Middleware {
        public Cache {
            maxSizeBytes = maxSizeBytes == null ? Long.valueOf(64L * 1024 * 1024) : maxSizeBytes;
            maxEntryBytes = maxEntryBytes == null ? Long.valueOf(1024L * 1024) : maxEntryBytes;
            defaultTtl = defaultTtl == null ? Duration.ZERO : defaultTtl;
        }
    }
}
