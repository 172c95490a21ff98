package dev.switchboard.proxy.config;

/**
 * A configuration problem a person must fix. The message names where it is (file and line, flag
 * or label) and what to do; it is shown as is, without a stack trace.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
