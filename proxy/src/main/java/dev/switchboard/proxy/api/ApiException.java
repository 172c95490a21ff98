package dev.switchboard.proxy.api;

/** An API request that cannot be answered: Traefik answers {@code {"message": "..."}} with the status. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
