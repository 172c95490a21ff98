package dev.switchboard.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A backend that answers with exactly the bytes a test gives it, for responses a Jetty server will
 * not write (a 20 KiB header, a {@code Connection} header naming other headers, a 101 without a
 * WebSocket), and records the exact request head it received. One request per connection; the
 * connection is closed after the answer.
 */
public final class ScriptedServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /** {@code answer} gets the request head (request line and headers) and returns the response bytes. */
    public ScriptedServer(Function<String, String> answer) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(10_000);
                    String head = readHead(new java.io.BufferedInputStream(s.getInputStream()));
                    heads.add(head);
                    s.getOutputStream().write(answer.apply(head).getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // closed, or a client that went away
                }
            }
        }, "scripted-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Reads up to the blank line, then a Content-Length body if there is one (dropped); empty at the end of the stream. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
        return text;
    }

    public String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** The request heads received, in order. */
    public List<String> heads() {
        return List.copyOf(heads);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
