package dev.switchboard.proxy.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.switchboard.proxy.config.StaticConfig;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log.level}, {@code --log.format} and {@code --log.filePath}. The level applies to
 * Switchboard's own loggers; Jetty's stay at WARN unless TRACE is asked for, since students reading
 * DEBUG want the proxy's decisions, not the HTTP library's.
 */
public final class LogSetup {
    private static final Map<String, Level> LEVELS = Map.of("TRACE", Level.TRACE, "DEBUG", Level.DEBUG, "INFO", Level.INFO,
            "WARN", Level.WARN, "WARNING", Level.WARN, "ERROR", Level.ERROR, "FATAL", Level.ERROR, "PANIC", Level.ERROR);

    private LogSetup() {
    }

    public static void apply(StaticConfig.Log log) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Level level = LEVELS.getOrDefault(log.level().toUpperCase(Locale.ROOT), Level.INFO);
        context.getLogger("dev.switchboard").setLevel(level);
        context.getLogger("org.eclipse.jetty").setLevel(level == Level.TRACE ? Level.DEBUG : Level.WARN);
        context.getLogger("org.eclipse.jetty.io.ManagedSelector").setLevel(level == Level.TRACE ? Level.DEBUG : Level.ERROR);
        // Jetty warns about each malformed Host header or repeated header a client sends: a log flood anyone could cause.
        context.getLogger("org.eclipse.jetty.util.HostPort").setLevel(level == Level.TRACE ? Level.DEBUG : Level.ERROR);
        context.getLogger("org.eclipse.jetty.http.HttpParser").setLevel(level == Level.TRACE ? Level.DEBUG : Level.ERROR);
        boolean json = "json".equalsIgnoreCase(log.format());
        boolean toFile = log.filePath() != null && !log.filePath().isBlank();
        if (!json && !toFile) {
            return;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Encoder<ILoggingEvent> encoder;
        if (json) {
            JsonLayout layout = new JsonLayout();
            layout.setContext(context);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> wrapping = new LayoutWrappingEncoder<>();
            wrapping.setLayout(layout);
            encoder = wrapping;
        } else {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern("%d{yyyy-MM-dd'T'HH:mm:ssXXX} %tlevel %msg%n");
            encoder = pattern;
        }
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender;
        if (toFile) {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setFile(log.filePath());
            appender = file;
        } else {
            appender = new ConsoleAppender<>();
        }
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setName("switchboard");
        appender.start();
        for (java.util.Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> a = it.next();
            root.detachAppender(a);
            a.stop();
        }
        root.addAppender(appender);
    }
}
