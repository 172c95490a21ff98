package dev.switchboard.lab.grading;

/** A check's expectation was not met; the message says what was observed instead. */
public final class CheckFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An optional hint more precise than the check's own, for the mistake this failure points to. */
    private final String hint;

    public CheckFailed(String observed) {
        this(observed, null);
    }

    public CheckFailed(String observed, String hint) {
        super(observed);
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
