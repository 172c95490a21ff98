package dev.switchboard.proxy.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;

/** {@code --log.format=json}: one object a line with Traefik's keys {@code level}, {@code time}, {@code message}. */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter out = new StringWriter(200);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("level", event.getLevel().toString().toLowerCase(Locale.ROOT));
            g.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).atZone(ZoneId.systemDefault())
                    .toOffsetDateTime().withNano(0).toString());
            g.writeStringField("message", event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                g.writeStringField("error", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            g.writeEndObject();
        } catch (IOException e) {
            return event.getFormattedMessage() + "\n";
        }
        return out + "\n";
    }
}
