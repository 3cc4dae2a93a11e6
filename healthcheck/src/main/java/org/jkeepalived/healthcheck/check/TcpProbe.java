package org.jkeepalived.healthcheck.check;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.CompletableFuture;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Probe;

/** TCP_CHECK: a connect that completes within connect_timeout, then closed at once. */
public final class TcpProbe implements Probe {
    private final Net net;
    private final CheckerCommon common;
    private final String label;

    public TcpProbe(Net net, CheckTarget target) {
        this.net = net;
        this.common = target.checker().common();
        this.label = target.label();
    }

    @Override public String type() {
        return "TCP_CHECK";
    }

    @Override public CompletableFuture<CheckResult> check() {
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        ChannelFuture f;
        try {
            f = net.tcp(common).handler(new ChannelInboundHandlerAdapter()).connect(Net.remote(common));
        } catch (RuntimeException e) {
            out.complete(CheckResult.fail(Net.reason(e), "TCP connection to " + label + " failed: " + Net.describe(e) + "."));
            return out;
        }
        f.addListener(x -> {
            if (f.isSuccess()) {
                f.channel().close();
                out.complete(CheckResult.ok("TCP connection to " + label + " success."));
            } else {
                String reason = Net.reason(f.cause());
                out.complete(CheckResult.fail(reason, "timeout".equals(reason)
                        ? "TCP connection to " + label + " timeout."
                        : "TCP connection to " + label + " failed."));
            }
        });
        return out;
    }
}
