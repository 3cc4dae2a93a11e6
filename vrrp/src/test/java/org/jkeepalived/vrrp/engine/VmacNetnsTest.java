package org.jkeepalived.vrrp.engine;

import static org.jkeepalived.vrrp.engine.EngineNetns.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.vrrp.io.NetnsLab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * use_vmac, vmac_xmit_base and virtual_rules on the real kernel: two {@link VrrpEngine}s in two
 * namespaces on one bridge, a client namespace resolving and connecting to the VIP.
 */
@Tag("netns")
class VmacNetnsTest {
    static final String VMAC4 = "00:00:5e:00:01:33"; // VRID 51
    static final String MAC_A = "02:00:00:00:01:0a";
    static final String MAC_B = "02:00:00:00:01:0b";

    NetnsLab lab;
    String a;
    String b;
    String c;

    @BeforeEach
    void up() {
        NetnsLab.assumeAvailable();
        lab = new NetnsLab();
        a = lab.host("a", MAC_A, "10.9.0.1/24");
        b = lab.host("b", MAC_B, "10.9.0.2/24");
        c = lab.host("c", "02:00:00:00:01:0c", "10.9.0.9/24");
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private NetnsLab.Child engine(String ns, String... more) {
        List<String> l = new ArrayList<>(List.of("garp_repeat=2"));
        l.addAll(List.of(more));
        return EngineNetns.engine(lab, ns, EngineNetns.args(l.toArray(new String[0])));
    }

    private static String link(String ns, String dev) {
        NetnsLab.Result r = NetnsLab.exec("ip", "-n", ns, "-d", "link", "show", "dev", dev);
        return r.exit() == 0 ? r.output() : "";
    }

    private static String addrs(String ns, String dev) {
        NetnsLab.Result r = NetnsLab.exec("ip", "-n", ns, "addr", "show", "dev", dev);
        return r.exit() == 0 ? r.output() : "";
    }

    private static String rules(String ns, String... family) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(family));
        cmd.add("rule");
        return NetnsLab.run(cmd.toArray(new String[0]));
    }

    private static String sysctl(String ns, String path) {
        return NetnsLab.execIn(ns, "cat", "/proc/sys/net/" + path).output().trim();
    }

    private static long txPackets(String ns, String dev) {
        return Long.parseLong(NetnsLab.execIn(ns, "cat", "/sys/class/net/" + dev + "/statistics/tx_packets")
                .output().trim());
    }

    private String connect(String ip) {
        return EngineNetns.connect(c, ip);
    }

    @Test
    void vipLivesOnTheVmacRulesFollowMasterAndTheVmacGoesOnStop() throws Exception {
        String rule = "rule=from,10.9.0.100,table,100,priority,3100";
        NetnsLab.Child ea = engine(a, "prio=150", "vip=10.9.0.100/24", "vmac", rule, "listen=8080:director-a");
        NetnsLab.Child eb = engine(b, "prio=100", "vip=10.9.0.100/24", "vmac", rule, "listen=8080:director-b");
        ea.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(5));

        // the macvlan: created on both (the backup's too, without the VIP), private mode, VRRP MAC
        String la = link(a, "vrrp.51");
        assertTrue(la.contains("vrrp.51@eth0") && la.contains("link/ether " + VMAC4), la);
        assertTrue(la.contains("macvlan mode private"), la);
        assertTrue(la.contains("addrgenmode none"), la);
        assertTrue(link(b, "vrrp.51").contains("link/ether " + VMAC4), link(b, "vrrp.51"));
        await(() -> addrs(a, "vrrp.51").contains("10.9.0.100/24"), Duration.ofSeconds(2), "VIP on A's VMAC");
        assertFalse(addrs(a, "eth0").contains("10.9.0.100"), "the VIP is not on the base interface");
        assertFalse(addrs(b, "vrrp.51").contains("10.9.0.100"));
        // sysctls as keepalived sets them
        assertEquals("1", sysctl(a, "ipv4/conf/vrrp.51/arp_ignore"));
        assertEquals("1", sysctl(a, "ipv4/conf/vrrp.51/accept_local"));
        assertEquals("1", sysctl(a, "ipv4/conf/eth0/arp_ignore"));
        assertEquals("1", sysctl(a, "ipv4/conf/eth0/arp_filter"));
        assertEquals("1", sysctl(a, "ipv6/conf/vrrp.51/disable_ipv6"));

        // virtual_rules only on the master, tagged proto keepalived
        assertTrue(rules(a).contains("3100:\tfrom 10.9.0.100 lookup 100 proto keepalived"), rules(a));
        assertFalse(rules(b).contains("3100:"), rules(b));

        // adverts leave through the VMAC (source MAC 00:00:5e:00:01:33)
        long tx = txPackets(a, "vrrp.51");
        Thread.sleep(1000);
        assertTrue(txPackets(a, "vrrp.51") - tx >= 3, "adverts not sent from the VMAC");
        assertTrue(eb.call("status").contains("state=BACKUP"), eb.transcript());
        assertTrue(eb.call("status").matches(".*advert_rcvd=[1-9].*"), eb.transcript());

        // the client resolves the VIP to the virtual MAC and reaches A. (A must know the client on its base
        // first: otherwise its replies, routed out of eth0, ARP for the client "tell 10.9.0.100" from the
        // base MAC and the client's entry follows that - the kernel's doing, keepalived's VMACs too)
        NetnsLab.execIn(c, "ping", "-c", "1", "-W", "1", "10.9.0.1");
        assertEquals("director-a", connect("10.9.0.100"));
        assertTrue(NetnsLab.run("ip", "-n", c, "neigh", "show", "10.9.0.100").contains(VMAC4),
                NetnsLab.run("ip", "-n", c, "neigh"));

        // graceful stop: A drops VIP, rule and VMAC; B takes over with the same MAC
        ea.terminate();
        eb.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(5));
        ea.awaitPrefix("STOPPED", Duration.ofSeconds(5));
        await(() -> link(a, "vrrp.51").isEmpty(), Duration.ofSeconds(3), "A's VMAC removed on stop");
        assertFalse(rules(a).contains("3100:"), rules(a));
        await(() -> addrs(b, "vrrp.51").contains("10.9.0.100/24"), Duration.ofSeconds(2), "VIP on B's VMAC");
        await(() -> rules(b).contains("3100:\tfrom 10.9.0.100 lookup 100"), Duration.ofSeconds(2), "rule on B");
        NetnsLab.execIn(c, "ping", "-c", "1", "-W", "1", "10.9.0.2");
        assertEquals("director-b", connect("10.9.0.100"));
        assertTrue(NetnsLab.run("ip", "-n", c, "neigh", "show", "10.9.0.100").contains(VMAC4));

        // a killed run leaves its VMAC behind; the next run replaces it
        eb.kill9();
        assertTrue(link(b, "vrrp.51").contains(VMAC4));
        NetnsLab.Child eb2 = engine(b, "prio=100", "vip=10.9.0.100/24", "vmac", rule);
        eb2.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(5));
        assertTrue(link(b, "vrrp.51").contains("macvlan mode private"));
        eb2.terminate();
        eb2.awaitPrefix("STOPPED", Duration.ofSeconds(5));
        await(() -> link(b, "vrrp.51").isEmpty(), Duration.ofSeconds(3), "B's VMAC removed on stop");
        assertFalse(rules(b).contains("3100:"), rules(b));
    }

    @Test
    void xmitBaseSendsFromTheBaseAndNamedVmacs() throws Exception {
        NetnsLab.Child ea = engine(a, "prio=150", "vip=10.9.0.100/24", "vmac=vmx51", "xmit_base");
        NetnsLab.Child eb = engine(b, "prio=100", "vip=10.9.0.100/24", "vmac=vmx51", "xmit_base");
        ea.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(5));
        await(() -> addrs(a, "vmx51").contains("10.9.0.100/24"), Duration.ofSeconds(2), "VIP on A's VMAC");
        assertTrue(link(a, "vmx51").contains("link/ether " + VMAC4), link(a, "vmx51"));
        Thread.sleep(300); // the GARPs of the takeover go out of the VMAC; then only adverts are sent
        long vmacTx = txPackets(a, "vmx51");
        long baseTx = txPackets(a, "eth0");
        Thread.sleep(1000);
        assertTrue(txPackets(a, "eth0") - baseTx >= 3, "adverts not sent from the base interface");
        assertEquals(vmacTx, txPackets(a, "vmx51"), "adverts sent from the VMAC despite vmac_xmit_base");
        assertTrue(eb.call("status").contains("state=BACKUP"), eb.transcript());
        assertTrue(eb.call("status").matches(".*advert_rcvd=[1-9].*"), eb.transcript());
        NetnsLab.execIn(c, "ping", "-c", "1", "-W", "1", "10.9.0.1");
        NetnsLab.execIn(c, "ping", "-c", "1", "-W", "1", "10.9.0.100");
        assertTrue(NetnsLab.run("ip", "-n", c, "neigh", "show", "10.9.0.100").contains(VMAC4),
                NetnsLab.run("ip", "-n", c, "neigh"));
        ea.kill9();
        eb.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(5));
    }

    @Test
    void aDeletedVmacIsMadeAgainAndTheVipReturns() throws Exception {
        NetnsLab.Child ea = engine(a, "prio=150", "vip=10.9.0.100/24", "vmac", "state=MASTER");
        ea.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(5));
        await(() -> addrs(a, "vrrp.51").contains("10.9.0.100/24"), Duration.ofSeconds(2), "VIP on the VMAC");
        NetnsLab.run("ip", "-n", a, "link", "del", "vrrp.51");
        await(() -> addrs(a, "vrrp.51").contains("10.9.0.100/24"), Duration.ofSeconds(5),
                "VMAC made again with the VIP:\n" + ea.transcript());
        assertTrue(link(a, "vrrp.51").contains("link/ether " + VMAC4));
        ea.terminate();
        ea.awaitPrefix("STOPPED", Duration.ofSeconds(5));
        await(() -> link(a, "vrrp.51").isEmpty(), Duration.ofSeconds(3), "VMAC removed on stop");
    }

    @Test
    void strictRpFilterIsMovedOffAllWhileAVmacLives() throws Exception {
        for (String ns : List.of(a, b)) {
            NetnsLab.run("ip", "netns", "exec", ns, "sh", "-c",
                    "echo 1 > /proc/sys/net/ipv4/conf/all/rp_filter; echo 0 > /proc/sys/net/ipv4/conf/default/rp_filter;"
                            + " echo 0 > /proc/sys/net/ipv4/conf/eth0/rp_filter");
        }
        NetnsLab.Child ea = engine(a, "prio=150", "vip=10.9.0.100/24", "vmac");
        NetnsLab.Child eb = engine(b, "prio=100", "vip=10.9.0.100/24", "vmac");
        ea.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(5));
        assertEquals("0", sysctl(b, "ipv4/conf/all/rp_filter"));
        assertEquals("1", sysctl(b, "ipv4/conf/eth0/rp_filter"));
        assertEquals("1", sysctl(b, "ipv4/conf/default/rp_filter"));
        assertEquals("0", sysctl(b, "ipv4/conf/vrrp.51/rp_filter"));
        Thread.sleep(1200); // longer than Master_Down_Interval: B hears A through its VMAC
        String st = eb.call("status");
        assertTrue(st.contains("state=BACKUP") && st.matches(".*advert_rcvd=[1-9].*"), st + "\n" + eb.transcript());
        eb.terminate();
        eb.awaitPrefix("STOPPED", Duration.ofSeconds(5));
        assertEquals("1", sysctl(b, "ipv4/conf/all/rp_filter"), "restored when the last VMAC goes");
        assertEquals("0", sysctl(b, "ipv4/conf/eth0/rp_filter"));
        assertEquals("0", sysctl(b, "ipv4/conf/default/rp_filter"));
        ea.terminate();
        ea.awaitPrefix("STOPPED", Duration.ofSeconds(5));
    }

    @Test
    void ipv6VmacSendsFromTheCopiedLinkLocal() throws Exception {
        lab.addr(a, "eth0", "fd00::1/64");
        lab.addr(b, "eth0", "fd00::2/64");
        lab.addr(c, "eth0", "fd00::9/64");
        String rule = "rule=from,fd00:1::/64,table,106,priority,3106";
        NetnsLab.Child ea = engine(a, "vrid=52", "prio=150", "vip=fd00::100/64", "vmac", rule);
        NetnsLab.Child eb = engine(b, "vrid=52", "prio=100", "vip=fd00::100/64", "vmac", rule);
        ea.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(5));
        String la = link(a, "vrrp.52");
        assertTrue(la.contains("link/ether 00:00:5e:00:02:34"), la);
        await(() -> addrs(a, "vrrp.52").contains("fd00::100/64"), Duration.ofSeconds(2), "IPv6 VIP on A's VMAC");
        assertTrue(addrs(a, "vrrp.52").contains("inet6 fe80::"), addrs(a, "vrrp.52"));
        assertTrue(rules(a, "-6").contains("3106:\tfrom fd00:1::/64 lookup 106 proto keepalived"), rules(a, "-6"));
        // the client's neighbour entry for the VIP is the IPv6 virtual MAC (the NA comes from the VMAC)
        NetnsLab.execIn(c, "ping", "-6", "-c", "1", "-W", "1", "fd00::1");
        NetnsLab.execIn(c, "ping", "-6", "-c", "1", "-W", "2", "fd00::100");
        assertTrue(NetnsLab.run("ip", "-n", c, "-6", "neigh", "show", "fd00::100").contains("00:00:5e:00:02:34"),
                NetnsLab.run("ip", "-n", c, "-6", "neigh"));
        assertFalse(rules(b, "-6").contains("3106:"));
        Thread.sleep(1000);
        assertTrue(eb.call("status").contains("state=BACKUP"), eb.transcript());
        assertTrue(eb.call("status").matches(".*advert_rcvd=[1-9].*"), eb.transcript());
        ea.terminate();
        eb.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(5));
        await(() -> link(a, "vrrp.52").isEmpty(), Duration.ofSeconds(3), "A's VMAC removed on stop");
        await(() -> rules(b, "-6").contains("3106:"), Duration.ofSeconds(2), "IPv6 rule on B");
    }
}
