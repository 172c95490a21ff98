package dev.switchboard.proxy.forward;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two halves of a protocol switch relayed byte for byte (a WebSocket after its
 * {@code 101 Switching Protocols}), as Go's reverse proxy does once it has hijacked both
 * connections ({@code handleUpgradeResponse}: two copies, one each way). Each half reads its own
 * connection and writes to the other, asking for more only when its write has completed
 * (backpressure). The end of one direction shuts the other side's output (half close); when both
 * have ended, or either fails, both connections close. No idle timeout: Traefik sets none on an
 * upgraded connection.
 *
 * <p>The server half starts reading only once the client half is open, that is once the 101 has
 * been written and Jetty has handed the client's connection over, so a message the server sends
 * right after its 101 can never overtake the 101.
 */
final class UpgradeTunnel extends AbstractConnection implements Connection.UpgradeTo {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeTunnel.class);

    private final ByteBufferPool buffers;
    private final boolean clientSide;
    private final Pump pump = new Pump();
    private UpgradeTunnel peer;
    private ByteBuffer early;
    private volatile boolean inputEnded;
    private boolean started;

    private UpgradeTunnel(EndPoint endPoint, Executor executor, ByteBufferPool buffers, boolean clientSide) {
        super(endPoint, executor);
        this.buffers = buffers;
        this.clientSide = clientSide;
        setInputBufferSize(16 * 1024);
    }

    /** A client half and a server half, joined; install the server half on the server's endpoint now, the client half with the 101. */
    static UpgradeTunnel[] pair(EndPoint client, EndPoint server, Executor executor, ByteBufferPool buffers) {
        UpgradeTunnel c = new UpgradeTunnel(client, executor, buffers, true);
        UpgradeTunnel s = new UpgradeTunnel(server, executor, buffers, false);
        c.peer = s;
        s.peer = c;
        return new UpgradeTunnel[] {c, s};
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        // Bytes already read past the HTTP exchange: the first frames of the other side's protocol.
        early = BufferUtil.copy(buffer);
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().setIdleTimeout(0);
        if (clientSide) {
            start();
            peer.start();
        }
    }

    /** Writes what arrived early to the peer, then relays. */
    private void start() {
        synchronized (this) {
            if (started) {
                return;
            }
            started = true;
        }
        ByteBuffer first = early;
        early = null;
        if (BufferUtil.hasContent(first)) {
            peer.getEndPoint().write(Callback.from(this::fillInterested, this::fail), first);
        } else {
            fillInterested();
        }
    }

    @Override
    public void onFillable() {
        pump.iterate();
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        fail(cause);
    }

    @Override
    public boolean onIdleExpired(java.util.concurrent.TimeoutException timeout) {
        return false;
    }

    private void fail(Throwable cause) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("tunnel {} failed: {}", this, cause.toString());
        }
        getEndPoint().close(cause);
        peer.getEndPoint().close(cause);
    }

    /** This direction is done: half-close the peer's output, and close both once the other direction is done too. */
    private void ended() {
        inputEnded = true;
        peer.getEndPoint().shutdownOutput();
        if (peer.inputEnded) {
            getEndPoint().close();
            peer.getEndPoint().close();
        }
    }

    /** Reads a buffer from this side, writes it to the peer, and only then reads again. */
    private final class Pump extends IteratingCallback {
        private RetainableByteBuffer buffer;

        @Override
        protected Action process() throws IOException {
            if (buffer == null) {
                buffer = buffers.acquire(getInputBufferSize(), true);
            }
            ByteBuffer bytes = buffer.getByteBuffer();
            BufferUtil.clear(bytes);
            int filled;
            try {
                filled = getEndPoint().fill(bytes);
            } catch (IOException e) {
                release();
                fail(e);
                return Action.SUCCEEDED;
            }
            if (filled > 0) {
                peer.getEndPoint().write(this, bytes);
                return Action.SCHEDULED;
            }
            release();
            if (filled == 0) {
                fillInterested();
                return Action.IDLE;
            }
            ended();
            return Action.SUCCEEDED;
        }

        private void release() {
            if (buffer != null) {
                buffer.release();
                buffer = null;
            }
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            release();
            fail(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
