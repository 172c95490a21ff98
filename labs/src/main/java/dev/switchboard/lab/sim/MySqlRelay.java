package dev.switchboard.lab.sim;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * A simulated database container's address and port, relayed to the {@link SharedDatabaseServer}:
 * MySQL's client/server protocol passes through packet by packet, with the database a client names
 * put into the container's namespace ({@code users_db} becomes {@code c3_users_db}) where a client
 * names one, in its handshake or in {@code COM_INIT_DB}, and taken out again in error messages. The
 * server's greeting is passed on without TLS and compression (a client then speaks plain MySQL, as it
 * may to the official image), so the handshake stays readable.
 * Closing the relay is what stopping the container does: {@linkplain #close(boolean) abruptly}
 * (connections reset, {@code docker kill}) or gracefully.
 */
final class MySqlRelay implements AutoCloseable {
    private static final int CLIENT_CONNECT_WITH_DB = 0x8;
    private static final int CLIENT_COMPRESS = 0x20;
    private static final int CLIENT_PROTOCOL_41 = 0x200;
    private static final int CLIENT_SSL = 0x800;
    private static final int CLIENT_SECURE_CONNECTION = 0x8000;
    private static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000;
    private static final int COM_INIT_DB = 0x02;
    private static final int MAX_PAYLOAD = 0xFFFFFF;
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("information_schema", "mysql", "performance_schema", "sys");

    private final ServerSocket server;
    private final IntSupplier upstreamPort;
    private final String prefix;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /** Listens on {@code listen}; each connection goes to 127.0.0.1:{@code upstreamPort} (asked at connect time). */
    MySqlRelay(InetSocketAddress listen, IntSupplier upstreamPort, String prefix) throws IOException {
        this.upstreamPort = upstreamPort;
        this.prefix = prefix;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen, 128);
        Thread acceptor = new Thread(this::accept, "db-relay-" + listen);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    boolean isOpen() {
        return !server.isClosed();
    }

    /** {@code users_db} as the server knows it for this container. */
    String serverName(String database) {
        return database.isEmpty() || SYSTEM_SCHEMAS.contains(database.toLowerCase(java.util.Locale.ROOT)) ? database : prefix + database;
    }

    private void accept() {
        PortPublisher.acceptEach(server, client -> "db-relay-" + client.getRemoteSocketAddress(), this::relay);
    }

    private void relay(Socket client) {
        open.add(client);
        try (Socket upstream = new Socket()) {
            open.add(upstream);
            upstream.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), upstreamPort.getAsInt()), 5000);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            DataInputStream fromServer = new DataInputStream(upstream.getInputStream());
            DataInputStream fromClient = new DataInputStream(client.getInputStream());
            OutputStream toServer = upstream.getOutputStream();
            OutputStream toClient = client.getOutputStream();
            Packet greeting = Packet.read(fromServer);
            int clientCapabilities = 0;
            if (greeting.payload.length > 0 && greeting.payload[0] == 10) {
                withoutTlsAndCompression(greeting.payload);
                greeting.write(toClient);
                Packet response = Packet.read(fromClient);
                clientCapabilities = int32(response.payload, 0);
                response = handshakeResponse(response);
                response.write(toServer);
            } else {
                greeting.write(toClient); // an error (too many connections...): passed on, the server closes
            }
            boolean protocol41 = (clientCapabilities & CLIENT_PROTOCOL_41) != 0;
            Thread back = new Thread(() -> pump(fromServer, toClient, upstream, client, false, protocol41),
                    "db-relay-back-" + client.getRemoteSocketAddress());
            back.setDaemon(true);
            back.start();
            pump(fromClient, toServer, client, upstream, true, protocol41);
            back.join();
        } catch (IOException | InterruptedException e) {
            // the server or the client went away: the other side sees its connection closed
        } finally {
            close(client, false);
        }
    }

    /** Client packets (commands) to the server, or server packets (answers) to the client. */
    private void pump(DataInputStream in, OutputStream out, Socket from, Socket to, boolean fromClient, boolean protocol41) {
        boolean continued = false;
        try {
            while (true) {
                Packet p = Packet.read(in);
                if (!continued && p.payload.length > 0) {
                    if (fromClient && p.sequence == 0 && (p.payload[0] & 0xFF) == COM_INIT_DB) {
                        p = initDb(p);
                    } else if (!fromClient && (p.payload[0] & 0xFF) == 0xFF) {
                        p = errorWithClientNames(p, protocol41);
                    }
                }
                continued = p.payload.length == MAX_PAYLOAD;
                p.write(out);
            }
        } catch (IOException e) {
            // closed
        } finally {
            open.remove(from);
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                close(to, false);
            }
        }
    }

    private static void withoutTlsAndCompression(byte[] greeting) {
        int i = 1;
        while (i < greeting.length && greeting[i] != 0) {
            i++;
        }
        int flags = i + 1 + 4 + 8 + 1; // server version, NUL, connection id, auth data part 1, filler
        if (flags + 1 < greeting.length) {
            int lower = (greeting[flags] & 0xFF) | (greeting[flags + 1] & 0xFF) << 8;
            lower &= ~(CLIENT_SSL | CLIENT_COMPRESS);
            greeting[flags] = (byte) lower;
            greeting[flags + 1] = (byte) (lower >> 8);
        }
    }

    /** HandshakeResponse41 with its database (if any) in this container's namespace. */
    private Packet handshakeResponse(Packet p) {
        byte[] b = p.payload;
        int caps = int32(b, 0);
        if ((caps & CLIENT_PROTOCOL_41) == 0 || (caps & CLIENT_CONNECT_WITH_DB) == 0 || b.length <= 32) {
            return p;
        }
        int i = 32;
        i = endOfString(b, i) + 1; // user name
        if ((caps & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            long[] len = lengthEncoded(b, i);
            i = (int) (len[1] + len[0]);
        } else if ((caps & CLIENT_SECURE_CONNECTION) != 0) {
            i = i + 1 + (b[i] & 0xFF);
        } else {
            i = endOfString(b, i) + 1;
        }
        if (i >= b.length) {
            return p;
        }
        int end = endOfString(b, i);
        String database = new String(b, i, end - i, StandardCharsets.UTF_8);
        byte[] renamed = serverName(database).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length - (end - i) + renamed.length];
        System.arraycopy(b, 0, out, 0, i);
        System.arraycopy(renamed, 0, out, i, renamed.length);
        System.arraycopy(b, end, out, i + renamed.length, b.length - end);
        return new Packet(p.sequence, out);
    }

    private Packet initDb(Packet p) {
        String database = new String(p.payload, 1, p.payload.length - 1, StandardCharsets.UTF_8);
        byte[] renamed = serverName(database).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[1 + renamed.length];
        out[0] = COM_INIT_DB;
        System.arraycopy(renamed, 0, out, 1, renamed.length);
        return new Packet(p.sequence, out);
    }

    /** An ERR packet's message with this container's prefix taken out ("Unknown database 'users_db'"). */
    private Packet errorWithClientNames(Packet p, boolean protocol41) {
        int start = 3 + (protocol41 && p.payload.length > 3 && p.payload[3] == '#' ? 6 : 0);
        if (start > p.payload.length) {
            return p;
        }
        String message = new String(p.payload, start, p.payload.length - start, StandardCharsets.UTF_8);
        if (!message.contains(prefix)) {
            return p;
        }
        byte[] text = message.replace(prefix, "").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[start + text.length];
        System.arraycopy(p.payload, 0, out, 0, start);
        System.arraycopy(text, 0, out, start, text.length);
        return new Packet(p.sequence, out);
    }

    private static int endOfString(byte[] b, int from) {
        int i = from;
        while (i < b.length && b[i] != 0) {
            i++;
        }
        return i;
    }

    /** {value, index after it} of a length-encoded integer at {@code i}. */
    private static long[] lengthEncoded(byte[] b, int i) {
        int first = b[i] & 0xFF;
        return switch (first) {
            case 0xFC -> new long[] {(b[i + 1] & 0xFF) | (b[i + 2] & 0xFF) << 8, i + 3};
            case 0xFD -> new long[] {(b[i + 1] & 0xFF) | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF) << 16, i + 4};
            case 0xFE -> new long[] {int32(b, i + 1) & 0xFFFFFFFFL, i + 9};
            default -> new long[] {first, i + 1};
        };
    }

    private static int int32(byte[] b, int i) {
        if (i + 3 >= b.length) {
            return 0;
        }
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    private void close(Socket s, boolean reset) {
        open.remove(s);
        try {
            if (reset) {
                s.setSoLinger(true, 0);
            }
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    /** Stops listening and closes every connection: {@code reset} as a killed container's (RST), else as a stopped one's. */
    void close(boolean reset) {
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        open.forEach(s -> close(s, reset));
    }

    @Override
    public void close() {
        close(false);
    }

    /** One packet of MySQL's protocol: 3 bytes of length, a sequence number, the payload. */
    private record Packet(int sequence, byte[] payload) {
        static Packet read(DataInputStream in) throws IOException {
            int b0 = in.read();
            if (b0 < 0) {
                throw new EOFException();
            }
            int length = b0 | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
            int sequence = in.readUnsignedByte();
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Packet(sequence, payload);
        }

        void write(OutputStream out) throws IOException {
            byte[] b = new byte[4 + payload.length];
            b[0] = (byte) payload.length;
            b[1] = (byte) (payload.length >> 8);
            b[2] = (byte) (payload.length >> 16);
            b[3] = (byte) sequence;
            System.arraycopy(payload, 0, b, 4, payload.length);
            out.write(b);
            out.flush();
        }
    }
}
