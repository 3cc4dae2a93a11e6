package org.jkeepalived.ipvs.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import org.jkeepalived.ipvs.engine.sched.ClientKey;
import org.jkeepalived.ipvs.nativeio.TcpSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection through a TCP virtual service: the accepted socket ("front"), the socket to
 * the real server ("back") on the same event loop, and the IPVS-like state (SYN_RECV until the real
 * server answers, ESTABLISHED = active, after the first FIN = inactive with the tcpfin timeout).
 * Bytes are relayed with backpressure: a side stops reading while the other cannot take more.
 *
 * <p>The client is read from the start, while the connection to the real server is still being made:
 * a client may send its request and its FIN before the real server answers (a slow or busy one), and
 * both must reach it once it does, as they would through IPVS. The bytes of one read wait here (reading
 * pauses until the real server answers) and the FIN is passed on after them.
 *
 * <p>The last buffer read in a batch is held until the batch ends rather than written at once: when the
 * peer's FIN ends that batch (a real server answering and closing, as HTTP/1.0 or "Connection: close"
 * do), the data and our FIN leave in one segment (MSG_MORE, then shutdown), as HAProxy does. That saves
 * the client's separate ACK and our separate FIN: about 10 % of the machine's CPU per short connection.
 */
final class TcpConnection extends ChannelInboundHandlerAdapter implements ProxiedTcp {
    private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);

    final EngineService svc;
    final Channel front;
    private Channel back;
    private EngineDest dest;
    private final EngineService.Binding binding = new EngineService.Binding();
    volatile long lastActivity;
    volatile int state = CONNECTING;
    private boolean frontEof, backEof;
    /** Read in the current batch from the real server / the client and not yet written to the other side. */
    private ByteBuf toFront, toBack;
    /** Our FIN already went out with the last data on that side (see {@link #sendWithFin}). */
    private boolean frontFinSent, backFinSent;
    private int attempts;

    TcpConnection(EngineService svc, Channel front) {
        this.svc = svc;
        this.front = front;
    }

    @Override public io.netty.channel.EventLoop loop() {
        return front.eventLoop();
    }

    @Override public void channelActive(ChannelHandlerContext ctx) {
        lastActivity = svc.engine.clock.nanoTime();
        svc.engine.register(this);
        connect();
    }

    private void connect() {
        InetSocketAddress ra = (InetSocketAddress) front.remoteAddress();
        InetSocketAddress la = (InetSocketAddress) front.localAddress();
        if (ra == null || la == null) {
            close();
            return;
        }
        ClientKey ck = new ClientKey(ra.getAddress(), ra.getPort(), la.getAddress(), la.getPort());
        if (!svc.schedule(ck, binding)) {
            close();
            return;
        }
        EngineDest d = binding.dest;
        dest = d;
        attempts++;
        ChannelFuture f = svc.engine.backendBootstrap(front.eventLoop()).handler(new Back()).connect(d.socketAddress);
        back = f.channel();
        f.addListener((ChannelFutureListener) fut -> {
            if (fut.isSuccess()) onConnected(fut.channel());
            else onConnectFailed(d, fut.channel(), fut.cause());
        });
    }

    private void onConnected(Channel b) {
        if (state == CLOSED || b != back) {
            b.close();
            return;
        }
        svc.established(binding);
        state = ESTABLISHED;
        lastActivity = svc.engine.clock.nanoTime();
        if (frontEof) {
            passFrontEofOn();
            return;
        }
        if (toBack != null) {
            b.write(toBack, b.voidPromise());
            toBack = null;
            b.flush();
        }
        front.config().setAutoRead(true);
    }

    private void onConnectFailed(EngineDest d, Channel b, Throwable cause) {
        if (state == CLOSED || b != back) return;
        back = null;
        svc.connectFailed(d, cause);
        if (front.isActive() && attempts < Math.max(1, svc.destinationCount())) {
            connect();
        } else {
            log.warn("{}: giving up on client {} of VS [{}] after {} attempt(s)", svc.engine.name(),
                    front.remoteAddress(), svc.key, attempts);
            close();
        }
    }

    // ---- front (client side) ----

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel b = back;
        if (b == null || state == CLOSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf buf = (ByteBuf) msg;
        int n = buf.readableBytes();
        svc.stats.in(n);
        dest.stats.in(n);
        lastActivity = svc.engine.clock.nanoTime();
        if (state == CONNECTING) {
            // held for the real server (see the class comment); a read already under way may still
            // deliver after the pause, hence the rare second buffer
            toBack = toBack == null ? buf : Unpooled.wrappedBuffer(toBack, buf);
            front.config().setAutoRead(false);
            return;
        }
        if (toBack != null) b.write(toBack, b.voidPromise());
        toBack = buf;
    }

    @Override public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel b = back;
        if (b != null && state != CLOSED && state != CONNECTING) {
            if (toBack != null) {
                b.write(toBack, b.voidPromise());
                toBack = null;
            }
            b.flush();
            if (!b.isWritable()) front.config().setAutoRead(false);
        }
    }

    @Override public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel b = back;
        if (b != null && front.isWritable() && !backEof) b.config().setAutoRead(true);
    }

    @Override public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            frontEof = true;
            if (state == CONNECTING || state == CLOSED) return; // CONNECTING: passed on by onConnected
            passFrontEofOn();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) {
        close();
    }

    @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client side of VS [{}]: {}", svc.key, cause.toString());
        close();
    }

    /** The client's FIN goes on to the real server, after (or with) the last bytes held for it. */
    private void passFrontEofOn() {
        ByteBuf held = toBack;
        toBack = null;
        if (held != null) backFinSent = sendWithFin(held, back);
        halfClosed(back, backEof);
    }

    /** One direction ended: pass the FIN on once pending data is written; both ended: close. */
    private void halfClosed(Channel other, boolean otherEof) {
        if (state == ESTABLISHED) {
            svc.finSeen(binding);
            state = CLOSING;
        }
        lastActivity = svc.engine.clock.nanoTime();
        if (otherEof || other == null || !other.isActive()) {
            close();
            return;
        }
        // the other side's EOF now means the end of the connection: let Netty close on it instead of
        // half-closing again (which costs a failing shutdown(2) and an exception per connection)
        other.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        if (other == front ? frontFinSent : backFinSent) return;
        if (nothingQueued(other)) shutdownOutput(other);
        else other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> shutdownOutput(f.channel()));
    }

    /**
     * Passes {@code data}, the last bytes before the peer's FIN, on to {@code to} together with our FIN:
     * straight to the socket with MSG_MORE, then shutdown(SHUT_WR), when nothing of ours is queued there.
     * Otherwise (or for what the socket did not take) the data is written and flushed as usual and the
     * caller sends the FIN once it is out. True if the FIN went.
     */
    private boolean sendWithFin(ByteBuf data, Channel to) {
        if (to == null || !to.isActive()) {
            data.release();
            return false;
        }
        if (data.hasMemoryAddress() && nothingQueued(to) && to instanceof UnixChannel u && u.fd() instanceof Socket sock) {
            int len = data.readableBytes();
            long n = TcpSockets.sendBeforeFin(sock.intValue(), data.memoryAddress() + data.readerIndex(), len);
            if (n == len) {
                data.release();
                try {
                    sock.shutdown(false, true);
                    return true;
                } catch (IOException e) {
                    return false; // the socket is gone: the close that follows cleans up
                }
            }
            if (n > 0) data.skipBytes((int) n);
        }
        to.write(data, to.voidPromise());
        to.flush();
        return false;
    }

    /**
     * Sends our FIN on a channel whose queued data is flushed. On the native transports this is
     * shutdown(SHUT_WR) on the socket itself: Netty's shutdownOutput() allocates an exception (with its
     * stack trace) on every call to fail writes that cannot be pending here.
     */
    private static void shutdownOutput(Channel c) {
        if (!c.isActive()) return;
        if (c instanceof UnixChannel u && u.fd() instanceof Socket s) {
            try {
                s.shutdown(false, true);
                return;
            } catch (IOException | RuntimeException e) {
                // fall back to Netty's way
            }
        }
        if (c instanceof DuplexChannel) ((DuplexChannel) c).shutdownOutput();
    }

    /** Closes both sides (after flushing what is queued) and releases the server binding. */
    @Override public void close() {
        if (state == CLOSED) return;
        state = CLOSED;
        ReferenceCountUtil.release(toFront);
        ReferenceCountUtil.release(toBack);
        toFront = toBack = null;
        svc.release(binding);
        svc.engine.unregister(this);
        // closed from a task, after the current batch of epoll events: closing a descriptor that still
        // has an event in that batch makes Netty fail an epoll_ctl(DEL) with an exception each time
        Channel f = front;
        Channel b = back;
        try {
            f.eventLoop().execute(() -> {
                flushAndClose(f);
                flushAndClose(b);
            });
        } catch (RejectedExecutionException shuttingDown) {
            f.close();
            if (b != null) b.close();
        }
    }

    private static void flushAndClose(Channel c) {
        if (c == null || !c.isOpen()) return;
        if (c.isActive() && !nothingQueued(c)) c.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        else c.close();
    }

    /**
     * No write of ours is waiting on {@code c}, flushed or not, nor still in flight (the usual case: each
     * batch of reads is flushed at its end). isEmpty() alone counts only the flushed ones.
     */
    private static boolean nothingQueued(Channel c) {
        ChannelOutboundBuffer ob = c.unsafe().outboundBuffer();
        return ob == null || (ob.isEmpty() && ob.totalPendingWriteBytes() == 0);
    }

    @Override public void checkIdle(long now, long tcpTimeoutNanos, long finTimeoutNanos) {
        if (ProxiedTcp.pastTimeout(state, lastActivity, now, tcpTimeoutNanos, finTimeoutNanos)) {
            front.eventLoop().execute(() -> {
                if (state != CLOSED) {
                    log.debug("VS [{}]: closing idle connection from {} ({})", svc.key, front.remoteAddress(),
                            state == ESTABLISHED ? "tcp timeout" : "tcpfin timeout");
                    close();
                }
            });
        }
    }

    /** The real-server side. */
    private final class Back extends ChannelInboundHandlerAdapter {
        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (state == CLOSED) {
                ReferenceCountUtil.release(msg);
                return;
            }
            int n = ((ByteBuf) msg).readableBytes();
            svc.stats.out(n);
            dest.stats.out(n);
            lastActivity = svc.engine.clock.nanoTime();
            if (toFront != null) front.write(toFront, front.voidPromise());
            toFront = (ByteBuf) msg;
        }

        @Override public void channelReadComplete(ChannelHandlerContext ctx) {
            if (state == CLOSED) return;
            if (toFront != null) {
                front.write(toFront, front.voidPromise());
                toFront = null;
            }
            front.flush();
            if (!front.isWritable()) ctx.channel().config().setAutoRead(false);
        }

        @Override public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && !frontEof && state != CONNECTING) front.config().setAutoRead(true);
        }

        @Override public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                if (ctx.channel() != back) return;
                backEof = true;
                ByteBuf held = toFront;
                toFront = null;
                if (held != null) frontFinSent = sendWithFin(held, front);
                halfClosed(front, frontEof);
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == back && state != CONNECTING) close();
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("real server side of VS [{}]: {}", svc.key, cause.toString());
            if (ctx.channel() == back && state != CONNECTING) close();
            else ctx.close();
        }
    }
}
