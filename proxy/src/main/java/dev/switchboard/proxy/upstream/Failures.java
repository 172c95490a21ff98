package dev.switchboard.proxy.upstream;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** What a failure to reach a server means, for retry decisions, health checks and log lines. */
public final class Failures {
    private Failures() {
    }

    /**
     * Whether the connection to the server could not be established (refused, unreachable, unknown
     * host, connect timeout): nothing of the request reached the server, so it is safe to send it
     * elsewhere, and the server is certainly not serving.
     */
    public static boolean neverConnected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return true;
            }
            if (t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT)
                    .contains("connect")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the failure is a timeout (no response in time): 504 rather than 502. */
    public static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** A short description for logs and the API: "connection refused", "timeout after 5s", "HTTP 503". */
    public static String describe(Throwable failure) {
        if (failure instanceof RetryableStatus rs) {
            return "HTTP " + rs.status();
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String msg = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof ConnectException) {
                return msg.toLowerCase(Locale.ROOT).contains("refused") || msg.isEmpty() ? "connection refused" : msg;
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host" + (msg.isEmpty() ? "" : " " + msg);
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return msg.isEmpty() ? "timeout" : msg;
            }
            if (t instanceof EOFException || t instanceof ClosedChannelException) {
                return "connection closed by the server before it answered";
            }
        }
        String msg = failure.getMessage();
        return msg == null || msg.isBlank() ? failure.getClass().getSimpleName() : msg;
    }
}
