package dev.switchboard.proxy.rules;

/** A rule that does not parse or does not validate; the message shows where and how to fix it. */
public final class RuleException extends Exception {
    private static final long serialVersionUID = 1L;

    public RuleException(String message) {
        super(message);
    }
}
