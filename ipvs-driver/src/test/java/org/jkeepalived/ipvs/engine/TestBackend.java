package org.jkeepalived.ipvs.engine;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A loopback real server for engine tests: on accept it writes its name and a newline, then echoes;
 * on the client's FIN it writes "bye\n" and closes its side. The UDP variant answers each datagram
 * with "name:" + payload.
 */
final class TestBackend implements AutoCloseable {
    static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    final String name;
    final InetSocketAddress address;
    private final Channel server;
    final ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private TestBackend(String name, InetSocketAddress address, Channel server) {
        this.name = name;
        this.address = address;
        this.server = server;
    }

    static TestBackend tcp(String name, String host) throws InterruptedException {
        ChannelGroup[] holder = new ChannelGroup[1];
        TestBackend[] self = new TestBackend[1];
        Channel ch = new ServerBootstrap().group(GROUP).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override protected void initChannel(Channel c) {
                        self[0].children.add(c);
                        c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override public void channelActive(ChannelHandlerContext ctx) {
                                ctx.writeAndFlush(Unpooled.copiedBuffer(name + "\n", StandardCharsets.US_ASCII));
                            }

                            @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ctx.writeAndFlush(msg);
                            }

                            @Override public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof ChannelInputShutdownEvent) {
                                    ctx.writeAndFlush(Unpooled.copiedBuffer("bye\n", StandardCharsets.US_ASCII))
                                            .addListener((ChannelFutureListener) f -> ((DuplexChannel) ctx.channel()).shutdownOutput());
                                }
                            }

                            @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                }).bind(host, 0).sync().channel();
        self[0] = new TestBackend(name, (InetSocketAddress) ch.localAddress(), ch);
        return self[0];
    }

    static TestBackend udp(String name, String host) throws InterruptedException {
        Channel ch = new Bootstrap().group(GROUP).channel(NioDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        DatagramPacket p = (DatagramPacket) msg;
                        ByteBuf out = Unpooled.buffer();
                        out.writeCharSequence(name + ":", StandardCharsets.US_ASCII);
                        out.writeBytes(p.content());
                        p.release();
                        ctx.writeAndFlush(new DatagramPacket(out, p.sender()));
                    }
                }).bind(host, 0).sync().channel();
        return new TestBackend(name, (InetSocketAddress) ch.localAddress(), ch);
    }

    int port() {
        return address.getPort();
    }

    /** Kills the server: stops listening and closes every accepted connection. */
    @Override public void close() {
        server.close().syncUninterruptibly();
        children.close().syncUninterruptibly();
    }

    static ChannelHandler noop() {
        return new ChannelInboundHandlerAdapter();
    }
}
