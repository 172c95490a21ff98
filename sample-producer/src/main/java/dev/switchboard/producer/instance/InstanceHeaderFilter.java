package dev.switchboard.producer.instance;

import dev.switchboard.producer.web.Paths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts {@code X-Instance: <name>} on every response, errors included, so a student running {@code curl -i}
 * through the proxy sees which replica answered (and {@code X-Version: <version>} when APP_VERSION is set, to
 * tell a blue release from a green one); and counts application requests for {@code /instance}.
 */
public class InstanceHeaderFilter extends OncePerRequestFilter {
    public static final String HEADER = "X-Instance";
    public static final String VERSION_HEADER = "X-Version";
    private final InstanceIdentity identity;

    public InstanceHeaderFilter(InstanceIdentity identity) {
        this.identity = identity;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HEADER, identity.name());
        if (identity.version() != null) {
            response.setHeader(VERSION_HEADER, identity.version());
        }
        String path = Paths.withinApplication(request);
        if (!isAsyncDispatch(request) && request.getDispatcherType() == jakarta.servlet.DispatcherType.REQUEST
                && !Paths.isManagement(path) && !Paths.isAdmin(path)) {
            identity.countRequest();
        }
        chain.doFilter(request, response);
    }
}
