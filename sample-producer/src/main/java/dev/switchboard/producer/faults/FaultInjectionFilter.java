package dev.switchboard.producer.faults;

import dev.switchboard.producer.web.Paths;
import dev.switchboard.producer.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Injects the current faults into requests, in the order a sick server shows them: a hang holds every request
 * but the admin endpoint's (health checks time out too, as with a stuck process); application requests then
 * count towards a crash, get the added latency, and may be answered with an injected error
 * ({@code application/problem+json}, header {@code X-Fault: error}). Health and admin requests get no latency
 * or errors, so probes measure the replica, not the dice.
 */
public class FaultInjectionFilter extends OncePerRequestFilter {
    private final FaultInjector faults;

    public FaultInjectionFilter(FaultInjector faults) {
        this.faults = faults;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = Paths.withinApplication(request);
        if (Paths.isAdmin(path)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            faults.awaitHangRelease();
            if (!Paths.isManagement(path)) {
                int failWith = faults.beforeApplicationRequest();
                if (failWith != 0) {
                    response.setHeader("X-Fault", "error");
                    HttpStatus status = HttpStatus.resolve(failWith);
                    Problems.write(response, failWith, status == null ? "Injected error" : status.getReasonPhrase(),
                            "injected error (error rate " + faults.settings().errorRate() + ")", request.getRequestURI());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Problems.write(response, 503, "Service Unavailable", "shutting down", request.getRequestURI());
            return;
        }
        chain.doFilter(request, response);
    }
}
