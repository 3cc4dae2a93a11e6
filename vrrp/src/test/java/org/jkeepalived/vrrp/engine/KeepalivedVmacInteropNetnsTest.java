package org.jkeepalived.vrrp.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jkeepalived.vrrp.io.NetnsLab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * use_vmac on both sides: our engine (namespace A) and keepalived 2.2.7 (namespace B), VRID 61, VRRPv3.
 * Both VMACs carry 00:00:5e:00:01:3d; the adverts travel between them.
 */
@Tag("netns")
class KeepalivedVmacInteropNetnsTest {
    static final String VMAC = "00:00:5e:00:01:3d";
    static final String VIP = "10.9.0.100/24";
    NetnsLab lab;
    String a;
    String b;

    @BeforeEach
    void up() {
        NetnsLab.assumeAvailable();
        NetnsLab.assumeKeepalived();
        lab = new NetnsLab();
        a = lab.host("a", "02:00:00:00:02:0a", "10.9.0.1/24");
        b = lab.host("b", "02:00:00:00:02:0b", "10.9.0.2/24");
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private NetnsLab.Child keepalived(int priority) {
        String conf = "global_defs {\n    router_id ka_" + lab.prefix() + "\n    vrrp_version 3\n"
                + "    vrrp_garp_master_delay 0\n}\n"
                + "vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 61\n"
                + "    priority " + priority + "\n    advert_int 0.25\n    use_vmac\n"
                + "    virtual_ipaddress {\n        " + VIP + "\n    }\n}\n";
        return lab.keepalived(b, conf);
    }

    private NetnsLab.Child ours(int priority) {
        NetnsLab.Child e = lab.java(a, EngineMain.class, "name=VI_1", "iface=eth0", "vrid=61", "version=3",
                "int=0.25", "prio=" + priority, "vip=" + VIP, "garp_delay=0", "vmac");
        e.awaitPrefix("STARTED", Duration.ofSeconds(20));
        return e;
    }

    private static String vmacAddrs(String ns) {
        NetnsLab.Result r = NetnsLab.exec("ip", "-n", ns, "addr", "show", "dev", "vrrp.61");
        return r.exit() == 0 ? r.output() : "";
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

    @Test
    void keepalivedWinsThenLeaves() throws Exception {
        NetnsLab.Child ka = keepalived(200);
        NetnsLab.Child us = ours(100);
        ka.await(l -> l.contains("(VI_1) Entering MASTER STATE"), Duration.ofSeconds(10));
        await(() -> vmacAddrs(b).contains(VIP), Duration.ofSeconds(3), "VIP on keepalived's VMAC");
        assertTrue(vmacAddrs(a).contains(VMAC), "our VMAC exists while BACKUP: " + vmacAddrs(a));
        Thread.sleep(1500);
        String st = us.call("status");
        assertTrue(st.contains("state=BACKUP") && st.matches(".*advert_rcvd=[1-9].*"),
                "we should be a BACKUP hearing keepalived: " + st + "\n" + ka.transcript());
        assertFalse(vmacAddrs(a).contains(VIP));

        ka.terminate();
        us.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(3));
        await(() -> vmacAddrs(a).contains(VIP), Duration.ofSeconds(3), "VIP on our VMAC");
        assertTrue(us.call("status").contains("pri_zero_rcvd=1"), us.transcript());
        await(() -> vmacAddrs(b).isEmpty(), Duration.ofSeconds(5), "keepalived removed its VMAC");
    }

    @Test
    void weWinThenLeave() throws Exception {
        NetnsLab.Child us = ours(200);
        NetnsLab.Child ka = keepalived(100);
        us.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(5));
        ka.await(l -> l.contains("(VI_1) Entering BACKUP STATE"), Duration.ofSeconds(10));
        Thread.sleep(1500);
        assertFalse(ka.transcript().contains("Entering MASTER STATE"), ka.transcript());
        assertTrue(vmacAddrs(a).contains(VIP));
        assertTrue(vmacAddrs(b).contains(VMAC) && !vmacAddrs(b).contains(VIP), vmacAddrs(b));

        us.terminate();
        ka.await(l -> l.contains("(VI_1) Entering MASTER STATE"), Duration.ofSeconds(3));
        await(() -> vmacAddrs(b).contains(VIP), Duration.ofSeconds(3), "VIP on keepalived's VMAC");
        await(() -> vmacAddrs(a).isEmpty(), Duration.ofSeconds(3), "our VMAC removed");
    }
}
