package org.jkeepalived.vrrp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jkeepalived.vrrp.io.NetnsLab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * VRRPv2 with IPsec AH ({@code auth_type AH}): our engine (namespace A) against Debian's
 * keepalived 2.2.7 (namespace B) on the same VRID, multicast and unicast. The higher priority wins
 * on either side, the other takes over when the master leaves (its priority-0 advert must
 * authenticate too), and a peer with another auth_pass never moves us.
 */
@Tag("netns")
class KeepalivedAhInteropNetnsTest {
    static final String VIP = "10.9.0.100/24";
    static final Duration MASTER_DOWN = Duration.ofMillis(3700);
    NetnsLab lab;
    String a;
    String b;

    @BeforeEach
    void up() {
        NetnsLab.assumeAvailable();
        NetnsLab.assumeKeepalived();
        lab = new NetnsLab();
        a = lab.host("a", "02:00:00:00:00:0a", "10.9.0.1/24");
        b = lab.host("b", "02:00:00:00:00:0b", "10.9.0.2/24");
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private NetnsLab.Child keepalived(int priority, String pass, boolean unicast) {
        String peers = unicast ? "    unicast_src_ip 10.9.0.2\n    unicast_peer {\n        10.9.0.1\n    }\n" : "";
        String conf = "global_defs {\n    router_id ka_" + lab.prefix() + "\n    vrrp_version 2\n"
                + "    vrrp_garp_master_delay 0\n}\n"
                + "vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 61\n"
                + "    priority " + priority + "\n    advert_int 1\n"
                + "    authentication {\n        auth_type AH\n        auth_pass " + pass + "\n    }\n" + peers
                + "    virtual_ipaddress {\n        " + VIP + "\n    }\n}\n";
        return lab.keepalived(b, conf);
    }

    private NetnsLab.Child ours(int priority, boolean unicast) {
        List<String> args = new java.util.ArrayList<>(List.of("name=VI_1", "iface=eth0", "vrid=61", "version=2",
                "int=1", "prio=" + priority, "vip=" + VIP, "garp_delay=0", "auth=AH:s3cret"));
        if (unicast) {
            args.addAll(List.of("src=10.9.0.1", "peer=10.9.0.2"));
        }
        NetnsLab.Child e = lab.java(a, EngineMain.class, args.toArray(new String[0]));
        e.awaitPrefix("STARTED", Duration.ofSeconds(20));
        return e;
    }

    private static String addrs(String ns) {
        return NetnsLab.run("ip", "-n", ns, "addr", "show", "dev", "eth0");
    }

    private static long stat(String status, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(status);
        assertTrue(m.find(), name + " in " + status);
        return Long.parseLong(m.group(1));
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

    /**
     * keepalived higher: it wins and we stay BACKUP; it leaves (SIGTERM, priority 0) and we take
     * over. keepalived comes back lower: its fresh sequence counter is behind ours, so it hears us
     * and stays BACKUP; we leave and it takes over.
     */
    private void bothWays(boolean unicast) throws Exception {
        NetnsLab.Child ka = keepalived(200, "s3cret", unicast);
        NetnsLab.Child us = ours(100, unicast);
        ka.await(l -> l.contains("(VI_1) Entering MASTER STATE"), MASTER_DOWN.plusSeconds(10));
        await(() -> addrs(b).contains(VIP), Duration.ofSeconds(3), "VIP on keepalived's side");
        Thread.sleep(MASTER_DOWN.toMillis() + 500);
        String st = us.call("status");
        assertTrue(st.contains("state=BACKUP") && stat(st, "advert_rcvd") > 0,
                "we should be a BACKUP hearing keepalived: " + st + "\n" + ka.transcript());
        assertEquals(0, stat(st, "auth_failure") + stat(st, "authtype_mismatch") + stat(st, "checksum_err"), st);
        assertFalse(addrs(a).contains(VIP));
        assertFalse(us.transcript().contains("BACKUP MASTER"), us.transcript());

        ka.terminate();
        us.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(3));
        await(() -> addrs(a).contains(VIP), Duration.ofSeconds(3), "VIP on our side");
        st = us.call("status");
        assertEquals(1, stat(st, "pri_zero_rcvd"), "keepalived's priority 0 should have authenticated: " + st);
        assertEquals(0, stat(st, "auth_failure"), st);
        assertTrue(ka.waitFor(Duration.ofSeconds(5)), "keepalived did not stop");

        NetnsLab.Child ka2 = keepalived(100, "s3cret", unicast);
        ka2.await(l -> l.contains("(VI_1) Entering BACKUP STATE"), Duration.ofSeconds(10));
        Thread.sleep(MASTER_DOWN.toMillis() + 500);
        assertFalse(ka2.transcript().contains("Entering MASTER STATE"), ka2.transcript());
        assertFalse(ka2.transcript().contains("IPSEC-AH"), "keepalived rejected something:\n" + ka2.transcript());
        assertTrue(addrs(a).contains(VIP));
        assertFalse(addrs(b).contains(VIP));

        us.terminate();
        ka2.await(l -> l.contains("(VI_1) Entering MASTER STATE"), Duration.ofSeconds(3));
        await(() -> addrs(b).contains(VIP), Duration.ofSeconds(3), "VIP on keepalived's side");
        await(() -> !addrs(a).contains(VIP), Duration.ofSeconds(3), "our VIP removed");
        assertTrue(ka2.transcript().contains("priority 0"), "keepalived should log our priority 0:\n" + ka2.transcript());
    }

    @Test
    void multicastBothWays() throws Exception {
        bothWays(false);
    }

    /** Unicast peers: keepalived leaves the TTL out of the ICV there (see IpsecAh). */
    @Test
    void unicastBothWays() throws Exception {
        bothWays(true);
    }

    /** keepalived with another auth_pass and a higher priority: we take over and stay MASTER. */
    @Test
    void wrongPasswordPeerNeverMovesUs() throws Exception {
        NetnsLab.Child ka = keepalived(200, "0ther", false);
        ka.await(l -> l.contains("(VI_1) Entering MASTER STATE"), MASTER_DOWN.plusSeconds(10));
        NetnsLab.Child us = ours(100, false);
        us.awaitPrefix("STATE VI_1 BACKUP MASTER", MASTER_DOWN.plusSeconds(5));
        Thread.sleep(2500);
        String st = us.call("status");
        assertTrue(st.contains("state=MASTER"), st);
        assertTrue(stat(st, "auth_failure") > 0, "keepalived's adverts should fail the ICV: " + st);
        assertEquals(0, stat(st, "advert_rcvd"), st);
        assertTrue(addrs(a).contains(VIP));
        assertFalse(us.transcript().contains("STATE VI_1 MASTER"), "we should never leave MASTER:\n" + us.transcript());
        assertTrue(ka.transcript().contains("IPSEC-AH"), "keepalived should reject our ICV:\n" + ka.transcript());
    }
}
