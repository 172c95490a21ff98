package dev.switchboard.proxy.internal;

import dev.switchboard.proxy.http.Responses;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code ping@internal}: {@code OK} with 200 while serving, the configured
 * {@code terminatingStatusCode} (503) once the proxy is shutting down, so load balancers in front
 * stop sending to it first.
 */
public final class Ping implements Request.Handler {
    private final BooleanSupplier terminating;
    private final int terminatingStatus;

    public Ping(BooleanSupplier terminating, int terminatingStatus) {
        this.terminating = terminating;
        this.terminatingStatus = terminatingStatus;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (terminating.getAsBoolean()) {
            Responses.text(response, callback, terminatingStatus, HttpStatus.getMessage(terminatingStatus));
        } else {
            Responses.text(response, callback, HttpStatus.OK_200, "OK");
        }
        return true;
    }
}
