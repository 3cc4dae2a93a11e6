package org.jkeepalived.ipvs.kernel;

import static org.jkeepalived.ipvs.TestTables.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.config.TunnelSpec;
import org.jkeepalived.core.table.DesiredTable;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.ipvs.BatchingLvsBackend;
import org.jkeepalived.ipvs.LvsException;
import org.jkeepalived.ipvs.LvsOp;
import org.jkeepalived.ipvs.reconcile.Reconciler;
import org.junit.jupiter.api.Test;

/** Netlink layout (headers, alignment, nesting, byte orders) and the backend over a fake kernel. */
class NetlinkEncodingTest {

    static ByteBuffer le(byte[] b) { return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()); }

    @Test
    void headersAndAttributesArePaddedToFourBytes() {
        NlWriter w = new NlWriter(16);
        w.beginGenl(0x22, 0x5, 7, 1, 1).u8(1, 0xAB).u16(2, 0x1234).be16(3, 80).string(4, "wrr").u32(5, 9).end();
        byte[] b = w.toByteArray();
        ByteBuffer bb = le(b);
        assertEquals(b.length, bb.getInt(0), "nlmsg_len covers the whole message");
        assertEquals(0x22, bb.getShort(4));
        assertEquals(0x5, bb.getShort(6));
        assertEquals(7, bb.getInt(8));
        assertEquals(1, b[16]); // genl cmd
        assertEquals(1, b[17]); // genl version
        // u8: len 5, padded to 8
        assertEquals(5, bb.getShort(20));
        assertEquals(1, bb.getShort(22));
        assertEquals((byte) 0xAB, b[24]);
        assertEquals(0, b[25] | b[26] | b[27]);
        // u16 host order: len 6, padded to 8
        assertEquals(6, bb.getShort(28));
        assertEquals(0x1234, bb.getShort(32));
        // be16 port: network order
        assertEquals(6, bb.getShort(36));
        assertEquals(0, b[40]);
        assertEquals(80, b[41]);
        // string with NUL: 4 + 4 = 8
        assertEquals(8, bb.getShort(44));
        assertEquals('w', b[48]);
        assertEquals(0, b[51]);
        // u32
        assertEquals(8, bb.getShort(52));
        assertEquals(9, bb.getInt(56));
        assertEquals(60, b.length);
        assertEquals(0, b.length % 4);
    }

    @Test
    void nestedAttributesCarryTheirTotalLength() {
        NlWriter w = new NlWriter(8);
        w.beginGenl(0x22, 1, 1, 1, 1);
        int n = w.beginNest(1);
        w.u16(1, 2).u32(5, 42);
        w.endNest(n);
        w.u32(4, 900).end();
        ByteBuffer bb = le(w.toByteArray());
        assertEquals(4 + 8 + 8, bb.getShort(20));
        NlAttrs top = NlAttrs.parse(bb, 20, bb.getInt(0));
        NlAttrs inner = top.nested(1);
        assertEquals(2, inner.u16(1, -1));
        assertEquals(42, inner.u32(5, -1));
        assertEquals(900, top.u32(4, -1));
        assertFalse(top.has(2));
    }

    @Test
    void serviceAttributesAsTheKernelPolicyWantsThem() {
        VirtualService s = new VirtualService(tcp("10.0.0.1", 80), "sh", List.of("sh-port"), false, 300,
                "255.255.255.0", null, List.of());
        NlWriter w = new NlWriter();
        w.beginGenl(0x22, 1, 1, IpvsCodec.CMD_NEW_SERVICE, 1);
        IpvsCodec.serviceFull(w, s);
        w.end();
        ByteBuffer bb = le(w.toByteArray());
        NlAttrs svc = NlAttrs.parse(bb, 20, bb.getInt(0)).nested(IpvsCodec.CMD_ATTR_SERVICE);
        assertEquals(2, svc.u16(IpvsCodec.SVC_ATTR_AF, -1));
        assertEquals(6, svc.u16(IpvsCodec.SVC_ATTR_PROTOCOL, -1));
        assertEquals(16, svc.length(IpvsCodec.SVC_ATTR_ADDR), "nf_inet_addr is 16 bytes");
        assertArrayEquals(new byte[] {10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, svc.bytes(IpvsCodec.SVC_ATTR_ADDR));
        assertArrayEquals(new byte[] {0, 80}, svc.bytes(IpvsCodec.SVC_ATTR_PORT));
        assertEquals("sh", svc.string(IpvsCodec.SVC_ATTR_SCHED_NAME));
        ByteBuffer flags = le(svc.bytes(IpvsCodec.SVC_ATTR_FLAGS));
        assertEquals(0x0001 | 0x0010, flags.getInt(0), "persistent + sched flag 2 (sh-port)");
        assertEquals(-1, flags.getInt(4), "mask: all bits");
        assertEquals(300, svc.u32(IpvsCodec.SVC_ATTR_TIMEOUT, -1));
        assertArrayEquals(new byte[] {(byte) 255, (byte) 255, (byte) 255, 0}, svc.bytes(IpvsCodec.SVC_ATTR_NETMASK));
        assertEquals(s.withDestinations(List.of()).scheduler(), IpvsCodec.service(svc).scheduler());
        assertEquals(List.of("sh-port"), IpvsCodec.service(svc).schedFlags());
        assertEquals("255.255.255.0", IpvsCodec.service(svc).persistenceNetmask());

        VirtualService v6 = new VirtualService(ServiceKey.fwmark(7, true), "mh", List.of("mh-fallback"), false, 60,
                "64", null, List.of());
        NlWriter w6 = new NlWriter();
        w6.beginGenl(0x22, 1, 1, IpvsCodec.CMD_NEW_SERVICE, 1);
        IpvsCodec.serviceFull(w6, v6);
        w6.end();
        ByteBuffer b6 = le(w6.toByteArray());
        NlAttrs s6 = NlAttrs.parse(b6, 20, b6.getInt(0)).nested(IpvsCodec.CMD_ATTR_SERVICE);
        assertEquals(10, s6.u16(IpvsCodec.SVC_ATTR_AF, -1));
        assertEquals(7, s6.u32(IpvsCodec.SVC_ATTR_FWMARK, -1));
        assertFalse(s6.has(IpvsCodec.SVC_ATTR_ADDR));
        assertEquals(64, s6.u32(IpvsCodec.SVC_ATTR_NETMASK, -1), "IPv6 netmask is a host-order prefix length");
        VirtualService back = IpvsCodec.service(s6);
        assertEquals(v6.key(), back.key());
        assertEquals(List.of("mh-fallback"), back.schedFlags());
    }

    @Test
    void destinationAttributes() {
        ServiceKey k = tcp("10.0.0.1", 80);
        Destination d = tun("10.0.1.3", 80, 4, new TunnelSpec("gue", 6080, "csum"));
        NlWriter w = new NlWriter();
        w.beginGenl(0x22, 1, 1, IpvsCodec.CMD_NEW_DEST, 1);
        IpvsCodec.dest(w, k, d, true);
        w.end();
        ByteBuffer bb = le(w.toByteArray());
        NlAttrs a = NlAttrs.parse(bb, 20, bb.getInt(0)).nested(IpvsCodec.CMD_ATTR_DEST);
        assertEquals(2, a.u32(IpvsCodec.DEST_ATTR_FWD_METHOD, -1), "IP_VS_CONN_F_TUNNEL");
        assertEquals(4, a.u32(IpvsCodec.DEST_ATTR_WEIGHT, -1));
        assertEquals(1, a.u8(IpvsCodec.DEST_ATTR_TUN_TYPE, -1), "GUE");
        assertArrayEquals(new byte[] {(byte) (6080 >> 8), (byte) (6080 & 255)}, a.bytes(IpvsCodec.DEST_ATTR_TUN_PORT));
        assertEquals(1, a.u16(IpvsCodec.DEST_ATTR_TUN_FLAGS, -1));
        assertEquals(2, a.u16(IpvsCodec.DEST_ATTR_ADDR_FAMILY, -1));
        Destination back = IpvsCodec.destination(a, k);
        assertEquals(LvsMethod.TUN, back.method());
        assertEquals(new TunnelSpec("gue", 6080, "csum"), back.tunnel());
        // NAT destinations carry no tunnel attributes; DR is IP_VS_CONN_F_DROUTE (3)
        NlWriter w2 = new NlWriter();
        w2.beginGenl(0x22, 1, 1, IpvsCodec.CMD_NEW_DEST, 1);
        IpvsCodec.dest(w2, k, dr("10.0.1.2", 0, 1), true);
        w2.end();
        ByteBuffer b2 = le(w2.toByteArray());
        NlAttrs a2 = NlAttrs.parse(b2, 20, b2.getInt(0)).nested(IpvsCodec.CMD_ATTR_DEST);
        assertEquals(3, a2.u32(IpvsCodec.DEST_ATTR_FWD_METHOD, -1));
        assertFalse(a2.has(IpvsCodec.DEST_ATTR_TUN_TYPE));
        assertEquals(80, a2.be16(IpvsCodec.DEST_ATTR_PORT, -1), "port 0 takes the service's port");
    }

    @Test
    void statsPreferTheSixtyFourBitCounters() {
        NlWriter w = new NlWriter();
        w.beginGenl(0x22, 2, 1, IpvsCodec.CMD_NEW_SERVICE, 1);
        int s32 = w.beginNest(IpvsCodec.SVC_ATTR_STATS);
        w.u32(IpvsCodec.STATS_ATTR_CONNS, 1);
        w.endNest(s32);
        int s64 = w.beginNest(IpvsCodec.SVC_ATTR_STATS64);
        w.u64(IpvsCodec.STATS_ATTR_CONNS, 5_000_000_000L).u64(IpvsCodec.STATS_ATTR_INBYTES, 77).u64(IpvsCodec.STATS_ATTR_OUTBPS, 9);
        w.endNest(s64);
        w.end();
        ByteBuffer bb = le(w.toByteArray());
        var c = IpvsCodec.counters(NlAttrs.parse(bb, 20, bb.getInt(0)), IpvsCodec.SVC_ATTR_STATS, IpvsCodec.SVC_ATTR_STATS64);
        assertEquals(5_000_000_000L, c.conns());
        assertEquals(77, c.inBytes());
        assertEquals(9, c.outBps());
    }

    @Test
    void missingFamilyIsAClearError() {
        FakeIpvsKernel k = new FakeIpvsKernel();
        k.ipvsMissing = true;
        LvsException e = assertThrows(LvsException.class, () -> KernelIpvsBackend.open(k));
        assertEquals("kernel IPVS not available: generic netlink family IPVS not found (load module ip_vs)", e.getMessage());
    }

    @Test
    void batchesManyRequestsPerSendAndMapsErrorsToTheirOps() throws Exception {
        FakeIpvsKernel k = new FakeIpvsKernel();
        try (KernelIpvsBackend b = KernelIpvsBackend.open(k)) {
            List<LvsOp> ops = new ArrayList<>();
            ops.add(new LvsOp.AddService(svc(tcp("10.0.0.1", 80), "rr")));
            ops.add(new LvsOp.AddDestination(tcp("10.0.0.1", 80), nat("10.0.1.1", 80, 1)));
            ops.add(new LvsOp.AddService(svc(tcp("10.0.0.2", 80), "nosuch")));      // ENOENT
            ops.add(new LvsOp.AddDestination(tcp("10.0.0.2", 80), nat("10.0.1.1", 80, 1))); // ESRCH
            ops.add(new LvsOp.AddService(svc(tcp("10.0.0.3", 0), "rr")));            // refused before sending
            ops.add(new LvsOp.AddDestination(tcp("10.0.0.1", 80), nat("10.0.1.2", 80, 1)));
            k.sendSizes.clear();
            List<BatchingLvsBackend.Outcome> out = b.applyBatch(ops);
            assertEquals(List.of(5), k.sendSizes, "one sendmsg for the five valid requests");
            assertTrue(out.get(0).ok());
            assertTrue(out.get(1).ok());
            assertEquals("adding service TCP 10.0.0.2:80: No such file or directory (ENOENT, scheduler module 'ip_vs_nosuch' missing?)",
                    out.get(2).error().getMessage());
            assertEquals(3, out.get(3).error().errno());
            assertTrue(out.get(4).error().getMessage().contains("port 0 is only valid for a persistent service"));
            assertTrue(out.get(5).ok());
            assertEquals(5, b.writeCount());
        }
    }

    @Test
    void reconcilerOverTheFakeKernelRoundTripsEveryKindOfEntry() throws Exception {
        FakeIpvsKernel k = new FakeIpvsKernel();
        k.messagesPerDatagram = 2; // dumps spread over several datagrams
        try (KernelIpvsBackend b = KernelIpvsBackend.open(k)) {
            List<VirtualService> want = List.of(
                    new VirtualService(tcp("10.0.0.1", 80), "wrr", List.of(), false, 0, null, null,
                            List.of(nat("10.0.1.1", 80, 3), dr("10.0.1.2", 80, 1), tun("10.0.1.3", 80, 1, TunnelSpec.IPIP),
                                    new Destination(ip("10.0.1.4"), 8080, LvsMethod.NAT, 2, 100, 10, null))),
                    new VirtualService(ServiceKey.of(L4Protocol.UDP, ip("2001:db8::1"), 53), "sh", List.of("sh-fallback", "sh-port"),
                            true, 120, "64", null, List.of(nat("2001:db8::2", 53, 1))),
                    new VirtualService(ServiceKey.fwmark(5, false), "mh", List.of("mh-port"), false, 0, null, null,
                            List.of(dr("10.0.2.2", 0, 0))),
                    new VirtualService(ServiceKey.of(L4Protocol.SCTP, ip("10.0.0.9"), 9), "rr", List.of(), false, 0, null, null, List.of()));
            Reconciler r = new Reconciler(b);
            var res = r.reconcile(new DesiredTable(want));
            assertTrue(res.ok(), res.toString());
            long w = b.writeCount();
            assertTrue(r.reconcile(new DesiredTable(want)).noop(), "re-apply decodes to the same table");
            assertEquals(w, b.writeCount());
            assertEquals(4, b.readTable().size());
        }
    }
}
