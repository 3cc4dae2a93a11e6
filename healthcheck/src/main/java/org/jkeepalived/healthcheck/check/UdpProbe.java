package org.jkeepalived.healthcheck.check;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Probe;

/**
 * UDP_CHECK: sends the payload (random when none). Without require_reply, silence for
 * connect_timeout passes and an ICMP port unreachable fails; with require_reply a reply must come,
 * its length within [min_reply_length, max_reply_length] and matching the pattern (X nibbles masked)
 * over the shorter of the two.
 */
public final class UdpProbe implements Probe {
    private final Net net;
    private final Checker.UdpCheck checker;
    private final String label;
    private final Random random = new Random();

    public UdpProbe(Net net, CheckTarget target) {
        this.net = net;
        this.checker = (Checker.UdpCheck) target.checker();
        this.label = target.label();
    }

    @Override public String type() {
        return "UDP_CHECK";
    }

    @Override public CompletableFuture<CheckResult> check() {
        byte[] payload = checker.payload();
        if (payload == null || payload.length == 0) {
            payload = new byte[16];
            random.nextBytes(payload);
        }
        CheckResult silentOk = checker.requireReply() ? null : CheckResult.ok("UDP check to " + label + " success.");
        return DatagramExchange.run(net, checker.common(), payload, this::judge, silentOk).thenApply(o -> {
            if (o.verdict() != null) return o.verdict();
            return CheckResult.fail(o.error(), "UDP check to " + label + " failed: " + o.errorText() + ".");
        });
    }

    CheckResult judge(byte[] reply) {
        if (!checker.requireReply()) return CheckResult.ok("UDP check to " + label + " success.");
        int min = Math.max(0, checker.minReplyLength());
        int max = checker.maxReplyLength() <= 0 ? 255 : checker.maxReplyLength();
        if (reply.length < min || reply.length > max) {
            return CheckResult.fail("reply", "UDP check to " + label + " failed: reply length " + reply.length + " not in [" + min + ", " + max + "].");
        }
        if (!matches(reply, checker.replyPattern(), checker.replyMask())) {
            return CheckResult.fail("reply", "UDP check to " + label + " failed: reply does not match.");
        }
        return CheckResult.ok("UDP check to " + label + " success.");
    }

    /** Compare over the shorter length; a mask bit 1 means "ignore this bit" (an X nibble). */
    static boolean matches(byte[] reply, byte[] pattern, byte[] mask) {
        if (pattern == null) return true;
        int n = Math.min(reply.length, pattern.length);
        for (int i = 0; i < n; i++) {
            int m = mask != null && i < mask.length ? mask[i] & 0xff : 0;
            if (((reply[i] ^ pattern[i]) & ~m & 0xff) != 0) return false;
        }
        return true;
    }
}
