package dev.switchboard.proxy.forward;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;

/**
 * A snapshot of a client request for the mirrors of a {@code mirroring} service: taken when the
 * request arrives, so it stays valid after the client's exchange completes and its Jetty request is
 * recycled.
 *
 * @param method        the request method
 * @param uri           path and query (as middlewares left them)
 * @param headers       the request headers
 * @param clientAddress the client's IP address, appended to X-Forwarded-For
 * @param body          the buffered body, or null to send none
 */
public record MirrorCopy(String method, HttpURI uri, HttpFields headers, String clientAddress, byte[] body) {
}
