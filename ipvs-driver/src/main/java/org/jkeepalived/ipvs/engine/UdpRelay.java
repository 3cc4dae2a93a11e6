package org.jkeepalived.ipvs.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import org.jkeepalived.ipvs.engine.sched.ClientKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP virtual service: datagrams from a client address:port form a flow scheduled once to a real
 * server, relayed through a socket connected to that server; replies go back from the service
 * address. A flow ends after the udp idle timeout. With one-packet scheduling (ops) every datagram
 * is scheduled on its own (its flow only carries the replies).
 */
final class UdpRelay extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(UdpRelay.class);

    final EngineService svc;
    final ConcurrentHashMap<InetSocketAddress, Flow> flows = new ConcurrentHashMap<>();
    volatile Channel listener;

    UdpRelay(EngineService svc) {
        this.svc = svc;
    }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket p = (DatagramPacket) msg;
        InetSocketAddress client = p.sender();
        boolean ops = svc.config().ops();
        Flow f = ops ? null : flows.get(client);
        if (f == null || f.closed) {
            f = new Flow(client);
            if (!f.start(ctx.channel())) {
                p.release();
                return;
            }
            if (!ops) flows.put(client, f);
        }
        f.send(p.content());
    }

    @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("UDP VS [{}]: {}", svc.key, cause.toString());
    }

    /**
     * Stops the service: closes its listening socket (returning once it is closed) and every flow.
     * Without the listener's close a deleted service went on receiving, and at engine close the socket
     * was left to the loops' shutdown with its receive still in flight (Netty then may not take in that
     * receive's completion before it frees the loop's memory).
     */
    void stop() {
        Channel l = listener;
        if (l != null) l.close().awaitUninterruptibly();
        for (Flow f : flows.values()) f.channelEventLoopClose();
    }

    /** One client's flow to its real server. */
    final class Flow extends ChannelInboundHandlerAdapter {
        final InetSocketAddress client;
        private final EngineService.Binding binding = new EngineService.Binding();
        private EngineDest dest;
        private Channel upstream;
        private Channel listenerChannel;
        private boolean connected;
        private ArrayDeque<ByteBuf> pending;
        volatile long lastActivity;
        volatile boolean closed;

        Flow(InetSocketAddress client) {
            this.client = client;
        }

        boolean start(Channel listenerCh) {
            this.listenerChannel = listenerCh;
            InetSocketAddress la = (InetSocketAddress) listenerCh.localAddress();
            ClientKey ck = new ClientKey(client.getAddress(), client.getPort(), la.getAddress(), la.getPort());
            if (!svc.schedule(ck, binding)) return false;
            dest = binding.dest;
            lastActivity = svc.engine.clock.nanoTime();
            svc.engine.register(this);
            upstream = svc.engine.datagramBootstrap(listenerCh.eventLoop()).handler(this)
                    .connect(dest.socketAddress).addListener((ChannelFutureListener) fut -> {
                        if (fut.isSuccess()) {
                            connected = true;
                            if (pending != null) {
                                ByteBuf b;
                                while ((b = pending.poll()) != null) fut.channel().write(b);
                                fut.channel().flush();
                            }
                        } else {
                            svc.connectFailed(dest, fut.cause());
                            close();
                        }
                    }).channel();
            return true;
        }

        void send(ByteBuf content) {
            int n = content.readableBytes();
            svc.stats.in(n);
            dest.stats.in(n);
            lastActivity = svc.engine.clock.nanoTime();
            if (closed) {
                content.release();
            } else if (connected) {
                upstream.writeAndFlush(content, upstream.voidPromise());
            } else {
                if (pending == null) pending = new ArrayDeque<>(4);
                pending.add(content);
            }
        }

        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf content;
            if (msg instanceof DatagramPacket) content = ((DatagramPacket) msg).content();
            else if (msg instanceof ByteBuf) content = (ByteBuf) msg;
            else {
                ReferenceCountUtil.release(msg);
                return;
            }
            int n = content.readableBytes();
            svc.stats.out(n);
            dest.stats.out(n);
            lastActivity = svc.engine.clock.nanoTime();
            Channel l = listenerChannel;
            if (l.isActive()) l.writeAndFlush(new DatagramPacket(content, client), l.voidPromise());
            else content.release();
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof PortUnreachableException) {
                svc.connectFailed(dest, cause);
                close();
            } else {
                log.debug("UDP flow {} of VS [{}]: {}", client, svc.key, cause.toString());
            }
        }

        void checkIdle(long now, long udpTimeoutNanos) {
            if (!closed && now - lastActivity > udpTimeoutNanos) channelEventLoopClose();
        }

        void channelEventLoopClose() {
            Channel u = upstream;
            if (u == null) close();
            else u.eventLoop().execute(this::close);
        }

        void close() {
            if (closed) return;
            closed = true;
            flows.remove(client, this);
            svc.release(binding);
            svc.engine.unregister(this);
            if (pending != null) {
                ByteBuf b;
                while ((b = pending.poll()) != null) b.release();
            }
            if (upstream != null) upstream.close();
        }
    }
}
