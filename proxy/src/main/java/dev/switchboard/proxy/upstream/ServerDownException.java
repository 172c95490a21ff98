package dev.switchboard.proxy.upstream;

import java.io.IOException;

/** Why an attempt waiting for a server's answer was abandoned: the health check found the server down. */
public final class ServerDownException extends IOException {
    public ServerDownException(String message) {
        super(message);
    }
}
