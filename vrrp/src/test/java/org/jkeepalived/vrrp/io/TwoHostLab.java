package org.jkeepalived.vrrp.io;

import java.time.Duration;

/**
 * The topology the io tests share: directors A and B and a client C on one bridge, each with
 * eth0, a fixed MAC, 10.9.0.x/24 and fd00::x/64 (A=1, B=2, C=9).
 */
final class TwoHostLab implements AutoCloseable {
    static final String MAC_A = "02:00:00:00:00:0a";
    static final String MAC_B = "02:00:00:00:00:0b";
    static final String MAC_C = "02:00:00:00:00:0c";

    final NetnsLab lab = new NetnsLab();
    final String a;
    final String b;
    final String c;
    final String bridgePortA;
    final String bridgePortB;

    TwoHostLab() {
        boolean ok = false;
        try {
            a = lab.namespace("a");
            b = lab.namespace("b");
            c = lab.namespace("c");
            bridgePortA = lab.connect(a, "eth0", MAC_A);
            bridgePortB = lab.connect(b, "eth0", MAC_B);
            lab.connect(c, "eth0", MAC_C);
            lab.addr(a, "eth0", "10.9.0.1/24");
            lab.addr(b, "eth0", "10.9.0.2/24");
            lab.addr(c, "eth0", "10.9.0.9/24");
            lab.addr(a, "eth0", "fd00::1/64");
            lab.addr(b, "eth0", "fd00::2/64");
            lab.addr(c, "eth0", "fd00::9/64");
            ok = true;
        } finally {
            if (!ok) {
                lab.close();
            }
        }
    }

    /** A {@link NetToolMain} child in {@code ns}, ready for commands. */
    NetnsLab.Child tool(String ns) {
        NetnsLab.Child t = lab.java(ns, NetToolMain.class);
        t.awaitPrefix("READY", Duration.ofSeconds(20));
        return t;
    }

    @Override
    public void close() {
        lab.close();
    }
}
