package org.jkeepalived.healthcheck.check;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Probe;

/** SMTP_CHECK: banner 220, "HELO helo_name" answered by 250, then QUIT. */
public final class SmtpProbe implements Probe {
    static final int MAX_LINE = 4096;
    private final Net net;
    private final CheckerCommon common;
    private final String helo;
    private final String label;

    public SmtpProbe(Net net, CheckTarget target) {
        this.net = net;
        Checker.SmtpCheck c = (Checker.SmtpCheck) target.checker();
        this.common = c.common();
        this.helo = c.heloName() == null || c.heloName().isEmpty() ? "localhost" : c.heloName();
        this.label = target.label();
    }

    @Override public String type() {
        return "SMTP_CHECK";
    }

    @Override public CompletableFuture<CheckResult> check() {
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        long ms = Net.millis(common.connectTimeout(), 5000);
        ChannelFuture f = net.tcp(common).handler(new ChannelInitializer<Channel>() {
            @Override protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ReadTimeoutHandler(ms, TimeUnit.MILLISECONDS),
                        new LineBasedFrameDecoder(MAX_LINE), new StringDecoder(StandardCharsets.ISO_8859_1),
                        new Dialog(out));
            }
        }).connect(Net.remote(common));
        f.addListener(x -> {
            if (!f.isSuccess()) {
                out.complete(CheckResult.fail(Net.reason(f.cause()), "SMTP connection ERROR to " + label + ": " + Net.describe(f.cause()) + "."));
                return;
            }
            var deadline = f.channel().eventLoop().schedule(() -> {
                out.complete(CheckResult.fail("timeout", "SMTP dialog with " + label + " timed out."));
            }, 3 * ms, TimeUnit.MILLISECONDS);
            out.whenComplete((r, e) -> {
                deadline.cancel(false);
                f.channel().close();
            });
        });
        return out;
    }

    private final class Dialog extends SimpleChannelInboundHandler<String> {
        private final CompletableFuture<CheckResult> out;
        private boolean heloSent;

        Dialog(CompletableFuture<CheckResult> out) {
            this.out = out;
        }

        @Override protected void channelRead0(ChannelHandlerContext ctx, String line) {
            if (out.isDone()) return;
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (l.length() < 3) {
                out.complete(CheckResult.fail("protocol", "SMTP invalid reply from " + label + " [" + HttpFetch.printable(l) + "]."));
                return;
            }
            boolean last = l.length() == 3 || l.charAt(3) != '-';
            if (!last) return; // multi-line reply: wait for its last line
            String code = l.substring(0, 3);
            if (!heloSent) {
                if (!code.equals("220")) {
                    out.complete(CheckResult.fail("protocol", "SMTP banner error from " + label + ", code [" + HttpFetch.printable(code) + "]."));
                    return;
                }
                heloSent = true;
                ctx.writeAndFlush(Unpooled.copiedBuffer("HELO " + helo + "\r\n", StandardCharsets.ISO_8859_1));
            } else {
                if (!code.equals("250")) {
                    out.complete(CheckResult.fail("protocol", "SMTP HELO error from " + label + ", code [" + HttpFetch.printable(code) + "]."));
                    return;
                }
                ctx.writeAndFlush(Unpooled.copiedBuffer("QUIT\r\n", StandardCharsets.ISO_8859_1));
                out.complete(CheckResult.ok("SMTP connection to " + label + " success."));
            }
        }

        @Override public void channelInactive(ChannelHandlerContext ctx) {
            out.complete(CheckResult.fail("reset", "SMTP connection to " + label + " closed during the dialog."));
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            out.complete(CheckResult.fail(cause instanceof io.netty.handler.codec.TooLongFrameException ? "protocol" : Net.reason(cause),
                    "SMTP error with " + label + ": " + Net.describe(cause) + "."));
            ctx.close();
        }
    }
}
