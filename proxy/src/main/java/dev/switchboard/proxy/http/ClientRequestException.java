package dev.switchboard.proxy.http;

import org.eclipse.jetty.http.HttpException;

/**
 * The client, not the server, made an exchange fail: its request body broke its own framing (a
 * bad chunk size: 400), stopped arriving in time ({@code respondingTimeouts.readTimeout}: 499), or
 * the client went away (499). Reads of a request body fail with this, so that whoever forwards the
 * body answers the client's status instead of blaming the server (no 502, no passive health
 * failure, no retry), and Jetty's error handling, which reads {@link HttpException#getCode()},
 * does the same. Quiet: it is logged without a stack trace.
 */
public final class ClientRequestException extends HttpException.RuntimeException {
    /** Nginx's and Traefik's status for a client that closed (or stalled) its request: {@code 499 Client Closed Request}. */
    public static final int CLIENT_CLOSED_REQUEST = 499;

    public ClientRequestException(int status, String reason, Throwable cause) {
        super(status, reason, cause);
    }

    /** The first {@code ClientRequestException} in {@code failure}'s causes, or null. */
    public static ClientRequestException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClientRequestException c) {
                return c;
            }
            for (Throwable s : t.getSuppressed()) {
                if (s instanceof ClientRequestException c) {
                    return c;
                }
            }
        }
        return null;
    }

    /** The text Traefik writes with the status: Go's {@code http.StatusText}, or {@code Client Closed Request}. */
    public String statusText() {
        if (getCode() == CLIENT_CLOSED_REQUEST) {
            return "Client Closed Request";
        }
        String reason = org.eclipse.jetty.http.HttpStatus.getMessage(getCode());
        return reason == null ? String.valueOf(getCode()) : reason;
    }
}
