package dev.switchboard.proxy.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Everything the proxy process logs (every logger, at the levels the proxy configures), to assert
 * that client input never puts a stack trace in the log: a log flood anyone on the network could
 * trigger, and noise that hides real problems from an operator.
 */
public final class LogWatch implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogWatch() {
        appender.start();
        root.addAppender(appender);
    }

    /** Lines logged with a stack trace (an exception attached, or {@code \tat } frames in the message). */
    public List<String> stackTraces() {
        return events().stream()
                .filter(e -> e.getThrowableProxy() != null || e.getFormattedMessage().contains("\tat "))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : " <- " + e.getThrowableProxy().getClassName() + ": "
                                + e.getThrowableProxy().getMessage()))
                .toList();
    }

    /** Lines at {@code level} or above. */
    public List<String> lines(Level level) {
        return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    public void clear() {
        synchronized (appender) { // AppenderBase appends while holding the appender's lock
            appender.list.clear();
        }
    }

    private List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
