package org.jkeepalived.ipvs.kernel;

import static org.jkeepalived.ipvs.TestTables.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.config.TunnelSpec;
import org.jkeepalived.core.table.DesiredTable;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.TableChange;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.ipvs.IpvsTableFormatter;
import org.jkeepalived.ipvs.LvsBackend;
import org.jkeepalived.ipvs.LvsException;
import org.jkeepalived.ipvs.LvsOp;
import org.jkeepalived.ipvs.reconcile.FlushOnStop;
import org.jkeepalived.ipvs.reconcile.ReconcileResult;
import org.jkeepalived.ipvs.reconcile.Reconciler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Against the real kernel (run inside ../shared/kernel-vm/run): program, read back both ways, edit, delete. */
@Tag("kernel-vm")
class KernelIpvsTableTest {
    static final String[] SCHEDULERS = {"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh"};

    KernelIpvsBackend b;

    @BeforeEach
    void open() throws LvsException {
        b = KernelIpvsBackend.open();
        b.flush();
    }

    @AfterEach
    void close() throws LvsException {
        b.flush();
        b.close();
    }

    /** One service per scheduler, every forwarding method, persistence with netmasks, scheduler flags, ops, IPv6, fwmark. */
    static List<VirtualService> everything() {
        List<VirtualService> out = new ArrayList<>();
        for (int i = 0; i < SCHEDULERS.length; i++) {
            String s = SCHEDULERS[i];
            List<String> flags = s.equals("sh") ? List.of("sh-fallback", "sh-port")
                    : s.equals("mh") ? List.of("mh-fallback", "mh-port") : s.equals("rr") ? List.of("flag-3") : List.of();
            int persist = i % 3 == 0 ? 300 + i : 0;
            String mask = i % 3 == 0 && i % 2 == 0 ? "255.255.255.0" : null;
            out.add(new VirtualService(tcp("10.10.0." + (i + 1), 80), s, flags, false, persist, mask, null, List.of(
                    new Destination(ip("10.20." + i + ".1"), 80, LvsMethod.NAT, 3, 100, 10, null),
                    new Destination(ip("10.20." + i + ".2"), 80, LvsMethod.DR, 1, 0, 0, null),
                    new Destination(ip("10.20." + i + ".3"), 80, LvsMethod.TUN, 2, 0, 0, TunnelSpec.IPIP),
                    new Destination(ip("10.20." + i + ".4"), 80, LvsMethod.TUN, 0, 0, 0, new TunnelSpec("gue", 6080, "csum")),
                    new Destination(ip("10.20." + i + ".5"), 80, LvsMethod.TUN, 1, 0, 0, new TunnelSpec("gre", null, "remcsum")))));
        }
        out.add(new VirtualService(udp("10.10.1.1", 53), "wrr", List.of(), true, 0, null, null,
                List.of(nat("10.20.100.1", 5353, 1), dr("10.20.100.2", 53, 2))));
        out.add(new VirtualService(ServiceKey.of(L4Protocol.TCP, ip("2001:db8::1"), 443), "wlc", List.of(), false, 600, "64", null,
                List.of(nat("2001:db8::10", 8443, 5), dr("2001:db8::11", 443, 1))));
        out.add(new VirtualService(ServiceKey.of(L4Protocol.SCTP, ip("10.10.1.2"), 3868), "rr", List.of(), false, 0, null, null,
                List.of(dr("10.20.101.1", 3868, 1))));
        out.add(new VirtualService(ServiceKey.fwmark(5, false), "sh", List.of("sh-port"), false, 60, "255.255.0.0", null,
                List.of(dr("10.20.102.1", 0, 1), nat("10.20.102.2", 0, 2))));
        out.add(new VirtualService(ServiceKey.fwmark(6, true), "rr", List.of(), false, 0, null, null,
                List.of(dr("2001:db8::20", 0, 1))));
        // port 0 is fine for a persistent service (a catch-all)
        out.add(persistent(tcp("10.10.1.3", 0), "rr", 100, null, dr("10.20.103.1", 0, 1)));
        return out;
    }

    @Test
    void programsEverythingAndReadsItBackBothWays() throws Exception {
        DesiredTable want = new DesiredTable(everything());
        Reconciler r = new Reconciler(b);
        ReconcileResult res = r.reconcile(want);
        assertTrue(res.ok(), res.toString());

        assertEquals(Ipvsadm.canon(want.services(), true), Ipvsadm.canon(b.readTable(), true), "our dump");
        assertEquals(Ipvsadm.canon(want.services(), false), Ipvsadm.canon(Ipvsadm.save(), false), "ipvsadm -Sn");

        long writes = b.writeCount();
        ReconcileResult again = r.reconcile(want);
        assertTrue(again.noop(), again.toString());
        assertEquals(writes, b.writeCount(), "re-apply sends zero netlink writes");

        IpvsInfo info = b.info();
        assertEquals("1.2.1", info.versionString());
        List<VirtualService> table = b.readTable();
        List<LvsBackend.ServiceStats> stats = b.readStats();
        sameText(Ipvsadm.run("-Ln"), IpvsTableFormatter.format(info.versionString(), info.connTableSize(), table, stats,
                IpvsTableFormatter.Mode.LIST));
        sameText(Ipvsadm.run("-Ln", "--stats"), IpvsTableFormatter.format(info.versionString(), info.connTableSize(), table,
                stats, IpvsTableFormatter.Mode.STATS));
        sameText(Ipvsadm.run("-Ln", "--rate"), IpvsTableFormatter.format(info.versionString(), info.connTableSize(), table,
                stats, IpvsTableFormatter.Mode.RATE));
    }

    /** Equal texts, or a failure naming the first differing line (spaces shown as '·'). */
    static void sameText(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String x = i < e.length ? e[i] : "<none>";
            String y = i < a.length ? a[i] : "<none>";
            if (!x.equals(y)) {
                fail("line " + (i + 1) + " differs:\nipvsadm: " + x.replace(' ', '\u00b7') + "\nours:    " + y.replace(' ', '\u00b7'));
            }
        }
    }

    @Test
    void editsAndDeletesOnlyWhatChanged() throws Exception {
        List<VirtualService> start = everything();
        Reconciler r = new Reconciler(b);
        assertTrue(r.reconcile(new DesiredTable(start)).ok());
        ServiceKey first = start.get(0).key();
        ServiceKey second = start.get(1).key();
        List<VirtualService> next = new ArrayList<>(start);
        VirtualService s0 = start.get(0);
        next.set(0, new VirtualService(first, "lc", List.of(), false, 0, null, null, s0.destinations()));
        DesiredTable t = new DesiredTable(next)
                .apply(new TableChange.UpsertDestination(second, new Destination(ip("10.20.1.1"), 80, LvsMethod.NAT, 0, 100, 10, null), "down"))
                .apply(new TableChange.RemoveDestination(second, dr("10.20.1.2", 80, 1).key(), "gone"))
                .apply(new TableChange.UpsertDestination(second, dr("10.20.1.9", 80, 7), "new"))
                .apply(new TableChange.RemoveService(start.get(2).key()));
        long w0 = b.writeCount();
        ReconcileResult res = r.reconcile(t);
        assertTrue(res.ok(), res.toString());
        assertEquals(List.of(new LvsOp.EditService(t.services().get(0).serviceOnly()),
                new LvsOp.AddDestination(second, dr("10.20.1.9", 80, 7)),
                new LvsOp.EditDestination(second, new Destination(ip("10.20.1.1"), 80, LvsMethod.NAT, 0, 100, 10, null)),
                new LvsOp.DeleteDestination(second, dr("10.20.1.2", 80, 1).key()),
                new LvsOp.DeleteService(start.get(2).key())), res.applied());
        assertEquals(5, b.writeCount() - w0);
        assertEquals(Ipvsadm.canon(t.services(), false), Ipvsadm.canon(Ipvsadm.save(), false));
        assertEquals(Ipvsadm.canon(t.services(), true), Ipvsadm.canon(b.readTable(), true));
    }

    @Test
    void foreignServicesStayAndStopModesRemoveOnlyOurs() throws Exception {
        Ipvsadm.run("-A", "-t", "192.0.2.1:80", "-s", "rr");
        Ipvsadm.run("-a", "-t", "192.0.2.1:80", "-r", "192.0.2.2:80", "-g");
        Reconciler r = new Reconciler(b);
        assertTrue(r.reconcile(new DesiredTable(everything().subList(0, 3))).ok());
        assertTrue(Ipvsadm.run("-Sn").contains("-A -t 192.0.2.1:80 -s rr"));
        ReconcileResult stop = r.stop(FlushOnStop.REMOVE_EACH);
        assertTrue(stop.ok(), stop.toString());
        assertEquals("-A -t 192.0.2.1:80 -s rr\n-a -t 192.0.2.1:80 -r 192.0.2.2:80 -g -w 1\n", Ipvsadm.run("-Sn"));
        assertTrue(r.reconcile(new DesiredTable(everything().subList(0, 3))).ok());
        assertTrue(r.stop(FlushOnStop.VS).ok());
        assertEquals(1, b.readTable().size());
        r.start(true);
        assertEquals("", Ipvsadm.run("-Sn"));
    }

    @Test
    void badInputGivesClearErrorsAndTheRestIsApplied() throws Exception {
        List<VirtualService> t = new ArrayList<>(everything().subList(0, 2));
        t.add(svc(tcp("10.30.0.1", 80), "nosuch", nat("10.30.1.1", 80, 1)));
        t.add(svc(tcp("10.30.0.2", 0), "rr", nat("10.30.1.2", 0, 1)));
        Reconciler r = new Reconciler(b);
        ReconcileResult res = r.reconcile(new DesiredTable(t));
        assertFalse(res.ok());
        assertTrue(res.retried());
        List<String> msgs = res.failures().stream().map(ReconcileResult.Failure::message).toList();
        assertTrue(msgs.contains("adding service TCP 10.30.0.1:80: No such file or directory (ENOENT, scheduler module 'ip_vs_nosuch' missing?)"), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("adding service TCP 10.30.0.2:0: port 0 is only valid for a persistent service")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("adding destination 10.30.1.1:80 to service TCP 10.30.0.1:80: No such process (ESRCH")), msgs.toString());
        // what could be applied was, and our view is the kernel's
        assertEquals(Ipvsadm.canon(t.subList(0, 2), false), Ipvsadm.canon(Ipvsadm.save(), false));

        // a raw mid-batch kernel error: the ops around it still apply
        var out = b.applyBatch(List.of(
                new LvsOp.AddDestination(t.get(0).key(), dr("10.30.9.1", 80, 1)),
                new LvsOp.EditDestination(t.get(0).key(), dr("10.30.9.99", 80, 1)),
                new LvsOp.AddDestination(t.get(0).key(), dr("10.30.9.2", 80, 1))));
        assertTrue(out.get(0).ok());
        assertEquals(2, out.get(1).error().errno());
        assertEquals("editing destination 10.30.9.99:80 of service TCP 10.10.0.1:80: No such file or directory (ENOENT, destination not in the service)",
                out.get(1).error().getMessage());
        assertTrue(out.get(2).ok());
        LvsException dup = assertThrows(LvsException.class, () -> b.addService(t.get(0).serviceOnly()));
        assertEquals("adding service TCP 10.10.0.1:80: File exists (EEXIST, service already in the table)", dup.getMessage());
    }
}
