package org.jkeepalived.healthcheck.check;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Probe;

/**
 * DNS_CHECK: one UDP query (type SOA and name "." by default, recursion desired); passes on a
 * response with the same id, RCODE NOERROR and at least one answer record.
 */
public final class DnsProbe implements Probe {
    static final Map<String, Integer> TYPES = Map.of("A", 1, "NS", 2, "CNAME", 5, "SOA", 6, "MX", 15,
            "TXT", 16, "AAAA", 28, "RRSIG", 46, "DNSKEY", 48);
    private final Net net;
    private final Checker.DnsCheck checker;
    private final String label;
    private final Random random = new Random();

    public DnsProbe(Net net, CheckTarget target) {
        this.net = net;
        this.checker = (Checker.DnsCheck) target.checker();
        this.label = target.label();
    }

    @Override public String type() {
        return "DNS_CHECK";
    }

    /** The query datagram. */
    public static byte[] query(int id, String type, String name) {
        Integer qtype = TYPES.get(type == null ? "SOA" : type.toUpperCase(Locale.ROOT));
        if (qtype == null) throw new IllegalArgumentException("DNS_CHECK type " + type + " not supported");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(id >> 8);
        b.write(id);
        b.write(0x01); // RD
        b.write(0x00);
        b.writeBytes(new byte[] {0, 1, 0, 0, 0, 0, 0, 0});
        String n = name == null || name.isEmpty() ? "." : name;
        for (String label : n.split("\\.")) {
            if (label.isEmpty()) continue;
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            if (l.length > 63) throw new IllegalArgumentException("DNS label too long: " + label);
            b.write(l.length);
            b.writeBytes(l);
        }
        b.write(0);
        b.write(qtype >> 8);
        b.write(qtype);
        b.write(0);
        b.write(1); // IN
        return b.toByteArray();
    }

    @Override public CompletableFuture<CheckResult> check() {
        int id = random.nextInt(0x10000);
        byte[] q;
        try {
            q = query(id, checker.queryType(), checker.name());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(CheckResult.fail("config", "DNS_CHECK on " + label + ": " + e.getMessage()));
        }
        return DatagramExchange.run(net, checker.common(), q, d -> judge(id, d), null).thenApply(o -> {
            if (o.verdict() != null) return o.verdict();
            return CheckResult.fail(o.error(), "DNS_CHECK to " + label + " failed: " + o.errorText() + ".");
        });
    }

    /** null: not our answer (keep waiting). */
    CheckResult judge(int id, byte[] d) {
        if (d.length < 12) return null;
        int rid = ((d[0] & 0xff) << 8) | (d[1] & 0xff);
        if (rid != id || (d[2] & 0x80) == 0) return null;
        int rcode = d[3] & 0x0f;
        int ancount = ((d[6] & 0xff) << 8) | (d[7] & 0xff);
        if (rcode != 0) return CheckResult.fail("rcode", "DNS_CHECK to " + label + " failed: RCODE " + rcode + ".");
        if (ancount == 0) return CheckResult.fail("no_answer", "DNS_CHECK to " + label + " failed: no answer records.");
        return CheckResult.ok("DNS_CHECK to " + label + " success.");
    }
}
