package org.jkeepalived.healthcheck.check;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Probe;

/** PING_CHECK: one ICMP echo answered within connect_timeout. */
public final class PingProbe implements Probe {
    private final PingService ping;
    private final CheckerCommon common;
    private final InetAddress dst;
    private final String label;

    public PingProbe(PingService ping, CheckTarget target) {
        this.ping = ping;
        this.common = target.checker().common();
        this.dst = common.connectIp() != null ? common.connectIp() : target.realServer().address();
        this.label = "[" + dst.getHostAddress() + "]";
    }

    @Override public String type() {
        return "PING_CHECK";
    }

    @Override public CompletableFuture<CheckResult> check() {
        return ping.ping(dst, common.connectTimeout()).thenApply(r -> r.ok()
                ? CheckResult.ok("ICMP echo reply from " + label + " received.")
                : CheckResult.fail(r.reason(), "ICMP echo to " + label + " failed: " + r.error() + "."));
    }
}
