package dev.switchboard.lab.compose;

/** A compose file the lab cannot run; the message names the file, line, service and key, and the way out. */
public final class ComposeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ComposeException(String message) {
        super(message);
    }
}
