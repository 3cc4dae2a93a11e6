package org.jkeepalived.healthcheck.check;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.PortUnreachableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jkeepalived.core.config.CheckerCommon;

/**
 * One request/response over a connected UDP socket: connected so that an ICMP port unreachable
 * comes back as a {@link PortUnreachableException}. The judge sees each datagram and returns a
 * verdict, or null to keep waiting; on timeout {@code onTimeout} decides.
 */
final class DatagramExchange {
    /** The outcome: a reply judged, an ICMP error, or a timeout. */
    record Outcome<T>(T verdict, String error, String errorText) {}

    private DatagramExchange() {}

    static <T> CompletableFuture<Outcome<T>> run(Net net, CheckerCommon c, byte[] request, Function<byte[], T> judge,
                                                 T onTimeout) {
        CompletableFuture<Outcome<T>> out = new CompletableFuture<>();
        long ms = Net.millis(c.connectTimeout(), 5000);
        ChannelFuture f = net.udp(c).handler(new ChannelInitializer<Channel>() {
            @Override protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new SimpleChannelInboundHandler<Object>() {
                    @Override protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf b = msg instanceof DatagramPacket p ? p.content() : msg instanceof ByteBuf bb ? bb : null;
                        if (b == null || out.isDone()) return;
                        byte[] data = new byte[Math.min(b.readableBytes(), 65535)];
                        b.readBytes(data);
                        T v = judge.apply(data);
                        if (v != null) out.complete(new Outcome<>(v, null, null));
                    }

                    @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        if (cause instanceof PortUnreachableException || Net.reason(cause).equals("unreachable")) {
                            out.complete(new Outcome<>(null, "unreachable", "ICMP port unreachable"));
                        } else {
                            out.complete(new Outcome<>(null, Net.reason(cause), Net.describe(cause)));
                        }
                    }
                });
            }
        }).connect(Net.remote(c));
        f.addListener(x -> {
            if (!f.isSuccess()) {
                out.complete(new Outcome<>(null, Net.reason(f.cause()), Net.describe(f.cause())));
                return;
            }
            Channel ch = f.channel();
            var timer = ch.eventLoop().schedule(() -> {
                out.complete(onTimeout == null ? new Outcome<>(null, "timeout", "no reply within " + ms + " ms")
                        : new Outcome<>(onTimeout, null, null));
            }, ms, TimeUnit.MILLISECONDS);
            out.whenComplete((r, e) -> {
                timer.cancel(false);
                ch.close();
            });
            ch.writeAndFlush(Unpooled.wrappedBuffer(request)).addListener(w -> {
                if (!w.isSuccess()) out.complete(new Outcome<>(null, Net.reason(w.cause()), Net.describe(w.cause())));
            });
        });
        return out;
    }
}
