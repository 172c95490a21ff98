package dev.switchboard.proxy.upstream;

/** The server answered a status the retry policy retries on; its response was discarded. */
public final class RetryableStatus extends Exception {
    private final int status;

    public RetryableStatus(int status) {
        super("the server answered " + status, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
