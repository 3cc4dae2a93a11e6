package org.jkeepalived.vrrp.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jkeepalived.vrrp.io.NetnsLab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Our engine (namespace A) against Debian's keepalived 2.2.7 (namespace B) on the same VRID: the
 * side with the higher priority wins, and the other takes over when the master leaves (SIGTERM:
 * priority 0). VRRPv2 with PASS authentication, VRRPv3, over IPv4 and IPv6 (VRRPv2 over IPv6 being
 * keepalived's own: an IPv6 instance that says {@code version 2}).
 */
@Tag("netns")
class KeepalivedInteropNetnsTest {
    NetnsLab lab;
    String a;
    String b;

    @BeforeEach
    void up() {
        NetnsLab.assumeAvailable();
        NetnsLab.assumeKeepalived();
        lab = new NetnsLab();
        a = lab.host("a", "02:00:00:00:00:0a", "10.9.0.1/24", "fd00::1/64");
        b = lab.host("b", "02:00:00:00:00:0b", "10.9.0.2/24", "fd00::2/64");
    }

    private String vip = "10.9.0.100/24";

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private NetnsLab.Child keepalived(int version, int priority, String advertInt) {
        boolean v6 = vip.contains(":");
        String auth = version == 2 && !v6 ? "    authentication {\n        auth_type PASS\n        auth_pass s3cret\n    }\n" : "";
        String conf = "global_defs {\n    router_id ka_" + lab.prefix() + "\n    vrrp_version " + version + "\n"
                + "    vrrp_garp_master_delay 0\n}\n"
                + "vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 61\n"
                + "    priority " + priority + "\n    advert_int " + advertInt + "\n" + auth
                // an IPv6 instance runs version 3 unless it says version 2 itself, before its VIPs
                + (v6 ? "    version " + version + "\n" : "")
                + "    virtual_ipaddress {\n        " + vip + "\n    }\n}\n";
        return lab.keepalived(b, conf);
    }

    private NetnsLab.Child ours(int version, int priority, String advertInt) {
        List<String> args = new ArrayList<>(List.of("name=VI_1", "iface=eth0", "vrid=61", "version=" + version,
                "int=" + advertInt, "prio=" + priority, "vip=" + vip, "garp_delay=0"));
        if (version == 2 && !vip.contains(":")) {
            args.add("auth=PASS:s3cret");
        }
        NetnsLab.Child e = lab.java(a, EngineMain.class, args.toArray(new String[0]));
        e.awaitPrefix("STARTED", Duration.ofSeconds(20));
        return e;
    }

    private static String addrs(String ns) {
        return NetnsLab.run("ip", "-n", ns, "addr", "show", "dev", "eth0");
    }

    private static void await(BooleanSupplier cond, Duration max, String what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** keepalived higher: it wins and we stay BACKUP; it leaves (SIGTERM) and we take over. */
    private void keepalivedWinsThenLeaves(int version, String advertInt, Duration masterDown) throws Exception {
        NetnsLab.Child ka = keepalived(version, 200, advertInt);
        NetnsLab.Child us = ours(version, 100, advertInt);
        ka.await(l -> l.contains("(VI_1) Entering MASTER STATE"), masterDown.plusSeconds(10));
        await(() -> addrs(b).contains(vip), Duration.ofSeconds(3), "VIP on keepalived's side");
        Thread.sleep(masterDown.toMillis() + 500);
        String st = us.call("status");
        assertTrue(st.contains("state=BACKUP") && st.matches(".*advert_rcvd=[1-9].*"),
                "we should be a BACKUP hearing keepalived: " + st + "\n" + ka.transcript());
        assertTrue(st.contains("auth_failure=0") && st.contains("checksum_err=0"), st);
        assertFalse(addrs(a).contains(vip));
        assertFalse(us.transcript().contains("BACKUP MASTER"), us.transcript());

        ka.terminate();
        us.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(3));
        await(() -> addrs(a).contains(vip), Duration.ofSeconds(3), "VIP on our side");
        st = us.call("status");
        assertTrue(st.contains("pri_zero_rcvd=1"), "keepalived's priority 0 should have been seen: " + st);
    }

    /** We are higher: keepalived stays BACKUP; we leave (SIGTERM) and keepalived takes over. */
    private void weWinThenLeave(int version, String advertInt, Duration masterDown) throws Exception {
        NetnsLab.Child us = ours(version, 200, advertInt);
        NetnsLab.Child ka = keepalived(version, 100, advertInt);
        us.awaitPrefix("STATE VI_1 BACKUP MASTER", masterDown.plusSeconds(5));
        ka.await(l -> l.contains("(VI_1) Entering BACKUP STATE"), Duration.ofSeconds(10));
        Thread.sleep(masterDown.toMillis() + 500);
        assertFalse(ka.transcript().contains("Entering MASTER STATE"), ka.transcript());
        assertTrue(addrs(a).contains(vip));
        assertFalse(addrs(b).contains(vip));

        us.terminate();
        ka.await(l -> l.contains("(VI_1) Entering MASTER STATE"), Duration.ofSeconds(3));
        await(() -> addrs(b).contains(vip), Duration.ofSeconds(3), "VIP on keepalived's side");
        await(() -> !addrs(a).contains(vip), Duration.ofSeconds(3), "our VIP removed");
        assertTrue(ka.transcript().contains("priority 0"), "keepalived should log our priority 0:\n" + ka.transcript());
    }

    @Test
    void v2PassKeepalivedWins() throws Exception {
        keepalivedWinsThenLeaves(2, "1", Duration.ofMillis(3700));
    }

    @Test
    void v2PassWeWin() throws Exception {
        weWinThenLeave(2, "1", Duration.ofMillis(3700));
    }

    @Test
    void v3KeepalivedWins() throws Exception {
        keepalivedWinsThenLeaves(3, "0.25", Duration.ofMillis(1000));
    }

    @Test
    void v3WeWin() throws Exception {
        weWinThenLeave(3, "0.25", Duration.ofMillis(1000));
    }

    @Test
    void v3Ipv6BothWays() throws Exception {
        ipv6BothWays(3, "0.25", Duration.ofMillis(1000));
    }

    @Test
    void v2Ipv6BothWays() throws Exception {
        ipv6BothWays(2, "1", Duration.ofMillis(3700));
    }

    /** Both directions over IPv6, each in a fresh lab. */
    private void ipv6BothWays(int version, String advertInt, Duration masterDown) throws Exception {
        vip = "fd00::100/64";
        keepalivedWinsThenLeaves(version, advertInt, masterDown);
        lab.close();
        up();
        vip = "fd00::100/64";
        weWinThenLeave(version, advertInt, masterDown);
    }
}
