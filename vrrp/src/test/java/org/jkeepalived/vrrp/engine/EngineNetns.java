package org.jkeepalived.vrrp.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jkeepalived.vrrp.io.NetnsLab;

/** What the engine's namespace tests share: {@link EngineMain} children, their arguments, waiting. */
final class EngineNetns {
    private EngineNetns() {}

    /** An {@link EngineMain} child in {@code ns}, started (its instances configured). */
    static NetnsLab.Child engine(NetnsLab lab, String ns, String... args) {
        NetnsLab.Child e = lab.java(ns, EngineMain.class, args);
        e.awaitPrefix("STARTED", Duration.ofSeconds(20));
        return e;
    }

    /** VI_1 on eth0, VRID 51, VRRPv3 at advert_int 0.25, no gratuitous ARP delay, then {@code more}. */
    static String[] args(String... more) {
        List<String> l = new ArrayList<>(List.of("name=VI_1", "iface=eth0", "vrid=51", "version=3", "int=0.25",
                "garp_delay=0"));
        l.addAll(List.of(more));
        return l.toArray(new String[0]);
    }

    /** `ip addr show dev eth0` in {@code ns}. */
    static String addrs(String ns) {
        return NetnsLab.run("ip", "-n", ns, "addr", "show", "dev", "eth0");
    }

    /** The first line a client in {@code clientNs} reads from {@code ip}:8080 within 3 s, or "failed: ...". */
    static String connect(String clientNs, String ip) {
        NetnsLab.Result r = NetnsLab.execIn(clientNs, "timeout", "3", "bash", "-c",
                "exec 3<>/dev/tcp/" + ip + "/8080 && head -1 <&3");
        return r.exit() == 0 ? r.output().trim() : "failed: " + r.output();
    }

    static void await(BooleanSupplier cond, Duration max, String what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
