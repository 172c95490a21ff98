package dev.switchboard.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A client connection that writes exactly the bytes a test gives it (no header added, nothing
 * normalised) and reads responses off the wire: for the edge tests, where what matters is the
 * exact request (framing, request line, header bytes), several requests on one connection, slow
 * writes, and whether the proxy closes the connection afterwards.
 */
public final class RawConnection implements AutoCloseable {

    /** One response as read: status line, headers in order (names as sent), body (decoded if chunked). */
    public record Response(String version, int status, String reason, List<String[]> headerLines, byte[] body) {
        /** The first value of header {@code name} (any case), or null. */
        public String header(String name) {
            for (String[] h : headerLines) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        /** Every value of header {@code name}, in order. */
        public List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String[] h : headerLines) {
                if (h[0].equalsIgnoreCase(name)) {
                    values.add(h[1]);
                }
            }
            return values;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(version + " " + status + " " + reason + "\n");
            headerLines.forEach(h -> s.append(h[0]).append(": ").append(h[1]).append('\n'));
            return s.append('\n').append(bodyText()).toString();
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean eof;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code port} on the loopback address; reads wait at most 10 s unless told otherwise. */
    public static RawConnection open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        return new RawConnection(socket);
    }

    /** Writes {@code text} as ISO-8859-1 bytes, byte for byte (use {@code \r\n} yourself). */
    public RawConnection write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawConnection write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Writes {@code text} one byte at a time with {@code pause} between bytes, as a slow (or
     * malicious) client does; stops early, returning false, when the proxy answers or closes the
     * connection (writing on would make the proxy's side reset it, losing the answer).
     */
    public boolean writeSlowly(String text, Duration pause) throws InterruptedException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        for (byte b : bytes) {
            try {
                if (in.available() > 0) {
                    return false;
                }
                out.write(b);
                out.flush();
            } catch (IOException e) {
                return false;
            }
            Thread.sleep(pause.toMillis());
        }
        return true;
    }

    /** Reads one response; throws if the connection closes before a complete one arrives. */
    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response to a HEAD request (no body whatever the headers say). */
    public Response readHead() throws IOException {
        return read(true);
    }

    private Response read(boolean head) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        List<String[]> headers = new ArrayList<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.add(new String[] {l.substring(0, colon), l.substring(colon + 1).trim()});
        }
        Response headOnly = new Response(parts[0], status, parts.length > 2 ? parts[2] : "", headers, new byte[0]);
        if (head || status < 200 || status == 204 || status == 304) {
            return headOnly;
        }
        String te = headOnly.header("Transfer-Encoding");
        String cl = headOnly.header("Content-Length");
        byte[] body;
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int size = chunkSize(); size > 0; size = chunkSize()) {
                b.write(bytes(size));
                line();
            }
            for (String l = line(); !l.isEmpty(); l = line()) {
                // trailers
            }
            body = b.toByteArray();
        } else if (cl != null) {
            body = bytes(Integer.parseInt(cl.trim()));
        } else {
            body = rest();
        }
        return new Response(headOnly.version(), status, headOnly.reason(), headers, body);
    }

    private int chunkSize() throws IOException {
        String l = line();
        int semi = l.indexOf(';');
        return Integer.parseInt((semi < 0 ? l : l.substring(0, semi)).trim(), 16);
    }

    /**
     * Whether the proxy closes the connection within {@code timeout} (bytes that arrive meanwhile
     * are kept for {@link #read()}); false if it is still open then.
     */
    public boolean closedWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                fill();
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                eof = true; // reset by the peer: closed too
            } finally {
                socket.setSoTimeout(10_000);
            }
        }
        return true;
    }

    /**
     * Every response that arrives until the proxy closes the connection or sends nothing more for
     * {@code quiet}; a response cut short ends the list.
     */
    public List<Response> readAll(Duration quiet) throws IOException {
        List<Response> responses = new ArrayList<>();
        while (true) {
            if (pending.size() == 0 && !eof) {
                socket.setSoTimeout((int) Math.max(1, quiet.toMillis()));
                try {
                    fill();
                } catch (SocketTimeoutException e) {
                    return responses;
                } catch (IOException e) {
                    eof = true;
                } finally {
                    socket.setSoTimeout(10_000);
                }
            }
            if (pending.size() == 0 && eof) {
                return responses;
            }
            try {
                responses.add(read());
            } catch (IOException | RuntimeException e) {
                return responses;
            }
        }
    }

    /** Everything received so far and until {@code timeout} passes or the connection closes. */
    public String readFor(Duration timeout) throws IOException {
        closedWithin(timeout);
        String all = pending.toString(StandardCharsets.ISO_8859_1);
        pending.reset();
        return all;
    }

    /** Half-closes: the proxy reads the end of the input after what was written (as a client that is done sending). */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    private String line() throws IOException {
        while (true) {
            byte[] buf = pending.toByteArray();
            for (int i = 0; i + 1 < buf.length; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    String l = new String(buf, 0, i, StandardCharsets.ISO_8859_1);
                    consume(buf, i + 2);
                    return l;
                }
            }
            if (eof) {
                throw new IOException("connection closed before the end of a line; received: "
                        + new String(buf, StandardCharsets.ISO_8859_1));
            }
            fill();
        }
    }

    private byte[] bytes(int n) throws IOException {
        while (pending.size() < n) {
            if (eof) {
                throw new IOException("connection closed after " + pending.size() + " of " + n + " bytes");
            }
            fill();
        }
        byte[] buf = pending.toByteArray();
        byte[] result = java.util.Arrays.copyOf(buf, n);
        consume(buf, n);
        return result;
    }

    private byte[] rest() throws IOException {
        while (!eof) {
            fill();
        }
        byte[] all = pending.toByteArray();
        pending.reset();
        return all;
    }

    private void consume(byte[] buf, int from) {
        pending.reset();
        pending.write(buf, from, buf.length - from);
    }

    private void fill() throws IOException {
        byte[] b = new byte[8192];
        int n = in.read(b);
        if (n < 0) {
            eof = true;
        } else {
            pending.write(b, 0, n);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
