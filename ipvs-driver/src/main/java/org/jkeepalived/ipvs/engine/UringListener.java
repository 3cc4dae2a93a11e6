package org.jkeepalived.ipvs.engine;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.unix.NativeInetAddress;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.jkeepalived.ipvs.engine.sched.ClientKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket of a TCP virtual service for the direct relay, on the loop that accepts for it (or
 * one per loop in one SO_REUSEPORT group: EngineSettings.acceptOnEveryLoop): SO_REUSEPORT,
 * SO_REUSEADDR and IP_FREEBIND (a VIP not yet on the host can be bound), watched by a multishot
 * poll; each wake-up accepts until the backlog is empty, {@link #ACCEPTS_PER_TURN} at a time, and hands
 * every connection to the least loaded loop ({@link UserspaceEngine#loopFor}).
 */
final class UringListener implements IoUringIoHandle, TcpListener {
    private static final Logger log = LoggerFactory.getLogger(UringListener.class);
    private static final int IPPROTO_IP = 0, IP_FREEBIND = 15;
    private static final short ACCEPT = 0, CANCEL = 1;
    /**
     * Connections accepted in a row before the loop turns to other work: HAProxy's tune.maxaccept
     * default. Taking a whole burst at once delays the requests of the connections already open.
     */
    static final int ACCEPTS_PER_TURN = 4;
    private final Runnable acceptMore = this::acceptMore;

    private final EngineService svc;
    private final IoEventLoop loop;
    private final Socket socket;
    private final InetSocketAddress local;
    /** accept(2)'s peer address as Netty's JNI returns it: its length, then the address. */
    private final byte[] peer = new byte[26];
    private IoRegistration registration;
    private long poll;
    private boolean closed;

    /** Binds and listens (from any thread); {@link #start} then starts accepting. */
    UringListener(EngineService svc, IoEventLoop loop, InetSocketAddress address) throws IOException {
        this.svc = svc;
        this.loop = loop;
        this.socket = StreamSockets.open(address.getAddress() instanceof Inet6Address);
        try {
            socket.setReuseAddress(true);
            socket.setReusePort(true);
            socket.setIntOpt(IPPROTO_IP, IP_FREEBIND, 1);
            socket.bind(address);
            socket.listen(4096);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        this.local = address.getAddress().isAnyLocalAddress() ? null : address;
    }

    void start() {
        loop.submit(() -> {
            registration = loop.register(this).getNow();
            poll = registration.submit(UringOps.poll(socket.intValue(), UringOps.POLLIN, true, ACCEPT));
        }).syncUninterruptibly();
    }

    @Override public int fd() {
        return socket.intValue();
    }

    @Override public void handle(IoRegistration r, IoEvent e) {
        IoUringIoEvent ev = (IoUringIoEvent) e;
        if (ev.data() != ACCEPT) return;
        boolean more = (ev.flags() & UringOps.CQE_F_MORE) != 0;
        if (!more) poll = 0;
        if (closed) return;
        accept();
        if (!more) poll = registration.submit(UringOps.poll(socket.intValue(), UringOps.POLLIN, true, ACCEPT));
    }

    /**
     * Accepts up to {@link #ACCEPTS_PER_TURN} connections, then lets the loop serve the others' events
     * before taking more (a task queued behind them: the multishot poll wakes only for new arrivals).
     */
    private void accept() {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            int fd;
            try {
                fd = socket.accept(peer);
            } catch (IOException ex) {
                // EMFILE and the like: the connection stays in the backlog; the next wake-up tries again
                log.warn("VS [{}]: accept failed: {}", svc.key, ex.getMessage());
                return;
            }
            if (fd < 0) return; // backlog empty
            Socket client = new Socket(fd);
            InetSocketAddress from = NativeInetAddress.address(peer, 1, peer[0]);
            InetSocketAddress to = local != null ? local : client.localAddress();
            ClientKey key = new ClientKey(from.getAddress(), from.getPort(), to.getAddress(), to.getPort());
            try {
                client.setTcpNoDelay(true);
            } catch (IOException ignored) {
                // the client is already gone: its connection fails on its first read
            }
            UserspaceEngine.LoopSlot slot = svc.engine.loopFor(loop);
            UringTcpConnection c = new UringTcpConnection(svc, slot.loop(), slot.buffer(), client, key);
            svc.engine.register(c);
            if (slot.loop() == loop) {
                c.start();
            } else {
                try {
                    slot.loop().execute(c::start);
                } catch (RuntimeException shuttingDown) {
                    svc.engine.unregister(c);
                    StreamSockets.closeQuietly(client);
                }
            }
        }
        loop.execute(acceptMore);
    }

    private void acceptMore() {
        if (!closed) accept();
    }

    @Override public void stop() {
        try {
            loop.submit((Runnable) this::close).awaitUninterruptibly();
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // the loop closes its handles as it stops
        }
    }

    /** On the loop (also when the loop itself shuts down). */
    @Override public void close() {
        if (closed) return;
        closed = true;
        if (registration != null && poll != 0) registration.submit(UringOps.cancel(poll, CANCEL));
        StreamSockets.closeQuietly(socket);
        if (registration != null) registration.cancel();
    }
}
