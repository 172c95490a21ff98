package dev.switchboard.lab.topology;

/**
 * A backend could not run a topology for a reason that is not the compose file's: no Docker engine
 * answers, an image cannot be pulled, the kit's own jars or images failed to build. The file's own
 * mistakes are {@link dev.switchboard.lab.compose.ComposeException}s instead. A grader reports this
 * as "not graded", never as a score of zero.
 */
public class BackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
