package org.jkeepalived.ipvs.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.ipvs.engine.sched.ClientKey;
import org.jkeepalived.ipvs.nativeio.TcpSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection through a TCP virtual service on io_uring, relayed without Netty channels:
 * the client's socket ("front") and the real server's ("back") are plain non-blocking sockets on one
 * event loop, watched by multishot io_uring polls, and read and written with recv(2)/send(2) through
 * the loop's one read buffer ({@link UringLoopBuffer}), as HAProxy relays with epoll. A keep-alive
 * request costs no allocation and no submission: the polls stay armed, the bytes go straight from one
 * socket to the other. Only what a full socket did not take is copied aside ({@link #pending}); that
 * direction then stops reading until it is written (POLLOUT), so a connection holds at most one read
 * (128 KB) per direction beyond the kernel's buffers.
 *
 * <p>Semantics are {@link TcpConnection}'s: scheduled when accepted, the client read once the real
 * server answers (its request and FIN wait in the kernel meanwhile), a refused or timed-out connect
 * retried on another real server, each FIN passed on after the data before it (in one segment when
 * the FIN had already arrived with it: MSG_MORE, then shutdown), closed when both directions ended,
 * and IPVS's states: CONNECTING (SYN_RECV), ESTABLISHED (active), CLOSING after the first FIN.
 */
final class UringTcpConnection implements IoUringIoHandle, ProxiedTcp {
    private static final Logger log = LoggerFactory.getLogger(UringTcpConnection.class);

    /** Directions: client to real server, real server to client. */
    private static final int UP = 0, DOWN = 1;
    /** What an operation was for (its user data). */
    private static final short READ_FRONT = 0, READ_BACK = 1, WRITE_BACK = 2, WRITE_FRONT = 3, CONNECT = 4, CANCEL = 5;

    private final EngineService svc;
    private final IoEventLoop loop;
    private final UringLoopBuffer buffer;
    private final Socket front;
    private final ClientKey client;
    private final EngineService.Binding binding = new EngineService.Binding();
    private IoRegistration registration;
    private Socket back;
    private EngineDest dest;
    volatile long lastActivity;
    volatile int state = CONNECTING;
    private int attempts;
    private final boolean[] eof = new boolean[2];
    private final boolean[] finSent = new boolean[2];
    /** Bytes read for a direction that its destination socket did not take yet. */
    private final ByteBuf[] pending = new ByteBuf[2];
    /** Outstanding polls (their io_uring ids, 0: none), per direction: reading its source, writing its destination. */
    private final long[] readPoll = new long[2];
    private final long[] writePoll = new long[2];
    private long connectPoll;
    private boolean connectTimedOut;
    private ScheduledFuture<?> connectTimer;

    UringTcpConnection(EngineService svc, IoEventLoop loop, UringLoopBuffer buffer, Socket front, ClientKey client) {
        this.svc = svc;
        this.loop = loop;
        this.buffer = buffer;
        this.front = front;
        this.client = client;
    }

    /**
     * On {@link #loop}: registers with the ring and connects to a real server. The engine counts the
     * connection from its accept on ({@link UringListener}), before this runs on another loop.
     */
    void start() {
        lastActivity = svc.engine.clock.nanoTime();
        try {
            registration = loop.register(this).getNow();
        } catch (RuntimeException e) {
            registration = null;
        }
        if (registration == null) {
            // the loop is shutting down
            svc.engine.unregister(this);
            StreamSockets.closeQuietly(front);
            return;
        }
        connect();
    }

    @Override public EventLoop loop() {
        return loop;
    }

    private void connect() {
        if (!svc.schedule(client, binding)) {
            close();
            return;
        }
        dest = binding.dest;
        attempts++;
        InetSocketAddress to = dest.socketAddress;
        try {
            back = StreamSockets.open(to.getAddress() instanceof java.net.Inet6Address);
            back.setTcpNoDelay(true);
            if (back.connect(to)) {
                connected();
                return;
            }
        } catch (IOException | RuntimeException e) {
            connectFailed(e);
            return;
        }
        connectTimedOut = false;
        connectPoll = registration.submit(UringOps.poll(back.intValue(), UringOps.POLLOUT, false, CONNECT));
        connectTimer = loop.schedule(this::connectTimeout, svc.engine.settings.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void connectTimeout() {
        if (state == CONNECTING && connectPoll != 0) {
            connectTimedOut = true;
            registration.submit(UringOps.cancel(connectPoll, CANCEL)); // its completion then fails the attempt
        }
    }

    private void connectCompleted(int res) {
        connectPoll = 0;
        if (res < 0) {
            connectFailed(connectTimedOut ? new ConnectTimeoutException("connection timed out: " + dest.socketAddress)
                    : new IOException("connect: errno " + -res));
            return;
        }
        try {
            if (back.finishConnect()) {
                connected();
            } else {
                connectPoll = registration.submit(UringOps.poll(back.intValue(), UringOps.POLLOUT, false, CONNECT));
            }
        } catch (IOException | RuntimeException e) {
            connectFailed(e);
        }
    }

    private void connected() {
        cancelConnectTimer();
        svc.established(binding);
        state = ESTABLISHED;
        lastActivity = svc.engine.clock.nanoTime();
        armRead(UP);
        armRead(DOWN);
        // the client's request has usually arrived while the real server was being connected: read it
        // now rather than a loop turn later (the poll armed above sees an empty socket then)
        relay(UP, 0);
    }

    private void connectFailed(Throwable cause) {
        cancelConnectTimer();
        StreamSockets.closeQuietly(back);
        back = null;
        svc.connectFailed(dest, cause);
        if (attempts < Math.max(1, svc.destinationCount())) {
            connect();
        } else {
            log.warn("{}: giving up on client {}:{} of VS [{}] after {} attempt(s)", svc.engine.name(),
                    client.source().getHostAddress(), client.sourcePort(), svc.key, attempts);
            close();
        }
    }

    private void cancelConnectTimer() {
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
    }

    private Socket source(int d) {
        return d == UP ? front : back;
    }

    private Socket destination(int d) {
        return d == UP ? back : front;
    }

    private void armRead(int d) {
        readPoll[d] = registration.submit(UringOps.poll(source(d).intValue(), UringOps.POLLIN | UringOps.POLLRDHUP, true,
                d == UP ? READ_FRONT : READ_BACK));
    }

    @Override public void handle(IoRegistration r, IoEvent e) {
        IoUringIoEvent ev = (IoUringIoEvent) e;
        short what = ev.data();
        int res = ev.res();
        boolean more = (ev.flags() & UringOps.CQE_F_MORE) != 0;
        switch (what) {
            case READ_FRONT, READ_BACK -> {
                int d = what == READ_FRONT ? UP : DOWN;
                if (!more) readPoll[d] = 0;
                if (state == CLOSED) return;
                if (res < 0) {
                    close();
                    return;
                }
                if (!eof[d] && pending[d] == null) relay(d, res);
                // a multishot poll the kernel ended (e.g. its completion queue overflowed) is armed again
                if (!more && !eof[d] && state != CLOSED) armRead(d);
            }
            case WRITE_BACK, WRITE_FRONT -> {
                int d = what == WRITE_BACK ? UP : DOWN;
                writePoll[d] = 0;
                if (state == CLOSED) return;
                if (res < 0) {
                    close();
                    return;
                }
                writePending(d);
            }
            case CONNECT -> {
                if (state == CLOSED) {
                    connectPoll = 0;
                    return;
                }
                connectCompleted(res);
            }
            default -> {
                // a cancellation's own completion
            }
        }
    }

    /**
     * Moves what the source of direction {@code d} has to its destination: reads until the socket is
     * drained (a read shorter than the buffer), the destination is full or the source ended.
     * {@code revents}: the poll's events; POLLRDHUP means the peer's FIN is already in, after this data.
     */
    private void relay(int d, int revents) {
        Socket from = source(d);
        Socket to = destination(d);
        long address = buffer.address();
        int capacity = buffer.capacity();
        for (;;) {
            int n;
            try {
                n = from.recvAddress(address, 0, capacity);
            } catch (IOException | RuntimeException e) {
                failed(d == UP ? "client" : "real server", e);
                return;
            }
            if (n == 0) return; // EAGAIN
            if (n < 0) {
                sourceEnded(d);
                return;
            }
            counted(d, n);
            if (n < capacity && (revents & UringOps.POLLRDHUP) != 0) {
                // the last bytes before the FIN: both leave in one segment when the socket takes them all
                long sent = TcpSockets.sendBeforeFin(to.intValue(), address, n);
                if (sent == n) {
                    eof[d] = true;
                    sendFin(d);
                    ended(d);
                    return;
                }
                int taken = (int) Math.max(0, sent);
                hold(d, address + taken, n - taken);
                eof[d] = true; // the FIN follows the held bytes (writePending)
                ended(d);
                return;
            }
            int w;
            try {
                w = to.sendAddress(address, 0, n);
            } catch (IOException | RuntimeException e) {
                failed(d == UP ? "real server" : "client", e);
                return;
            }
            if (w < n) {
                hold(d, address + w, n - w);
                return;
            }
            if (n < capacity) return; // drained
        }
    }

    private void counted(int d, int n) {
        if (d == UP) {
            svc.stats.in(n);
            dest.stats.in(n);
        } else {
            svc.stats.out(n);
            dest.stats.out(n);
        }
        lastActivity = svc.engine.clock.nanoTime();
    }

    /** Copies what the destination did not take aside and waits for it to take more; reading pauses. */
    private void hold(int d, long address, int len) {
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(len);
        PlatformDependent.copyMemory(address, b.memoryAddress() + b.writerIndex(), len);
        b.writerIndex(b.writerIndex() + len);
        pending[d] = b;
        writePoll[d] = registration.submit(UringOps.poll(destination(d).intValue(), UringOps.POLLOUT, false,
                d == UP ? WRITE_BACK : WRITE_FRONT));
    }

    private void writePending(int d) {
        ByteBuf p = pending[d];
        if (p == null) return;
        int w;
        try {
            w = destination(d).sendAddress(p.memoryAddress(), p.readerIndex(), p.writerIndex());
        } catch (IOException | RuntimeException e) {
            failed(d == UP ? "real server" : "client", e);
            return;
        }
        p.skipBytes(w);
        lastActivity = svc.engine.clock.nanoTime();
        if (p.isReadable()) {
            writePoll[d] = registration.submit(UringOps.poll(destination(d).intValue(), UringOps.POLLOUT, false,
                    d == UP ? WRITE_BACK : WRITE_FRONT));
            return;
        }
        p.release();
        pending[d] = null;
        if (eof[d]) {
            sendFin(d);
            closeIfDone();
        } else {
            relay(d, 0); // what arrived while reading paused: the poll's events then were let go
        }
    }

    /** The source of {@code d} sent its FIN (read as end of stream): passed on once nothing waits. */
    private void sourceEnded(int d) {
        eof[d] = true;
        // both ended and nothing waits: close(2) sends that FIN, no shutdown(2) first
        if (pending[d] == null && !(eof[1 - d] && pending[1 - d] == null)) sendFin(d);
        ended(d);
    }

    private void ended(int d) {
        if (state == ESTABLISHED) {
            svc.finSeen(binding);
            state = CLOSING;
        }
        lastActivity = svc.engine.clock.nanoTime();
        closeIfDone();
    }

    private void sendFin(int d) {
        if (finSent[d]) return;
        finSent[d] = true;
        try {
            destination(d).shutdown(false, true);
        } catch (IOException | RuntimeException e) {
            // the peer is gone (ENOTCONN after its reset): its poll reports that and the connection closes
        }
    }

    private void closeIfDone() {
        if (eof[UP] && eof[DOWN] && pending[UP] == null && pending[DOWN] == null) close();
    }

    private void failed(String side, Exception e) {
        log.debug("{} side of VS [{}]: {}", side, svc.key, e.toString());
        close();
    }

    /** Closes both sockets, dropping what waits to be written; the polls are cancelled. */
    @Override public void close() {
        if (state == CLOSED) return;
        state = CLOSED;
        cancelConnectTimer();
        for (int d = UP; d <= DOWN; d++) {
            if (pending[d] != null) {
                pending[d].release();
                pending[d] = null;
            }
        }
        svc.release(binding);
        svc.engine.unregister(this);
        IoRegistration reg = registration;
        if (reg != null) {
            // the polls hold the sockets until cancelled; cancelled by id, so closing the descriptors
            // first is safe (the ids cannot match a later connection reusing the numbers)
            for (long id : new long[] {readPoll[UP], readPoll[DOWN], writePoll[UP], writePoll[DOWN], connectPoll}) {
                if (id != 0) reg.submit(UringOps.cancel(id, CANCEL));
            }
        }
        StreamSockets.closeQuietly(front);
        StreamSockets.closeQuietly(back);
        if (reg != null) reg.cancel();
    }

    @Override public void checkIdle(long now, long tcpTimeoutNanos, long finTimeoutNanos) {
        if (ProxiedTcp.pastTimeout(state, lastActivity, now, tcpTimeoutNanos, finTimeoutNanos)) {
            loop.execute(() -> {
                if (state != CLOSED) {
                    log.debug("VS [{}]: closing idle connection from {} ({})", svc.key, client.source(),
                            state == ESTABLISHED ? "tcp timeout" : "tcpfin timeout");
                    close();
                }
            });
        }
    }
}
