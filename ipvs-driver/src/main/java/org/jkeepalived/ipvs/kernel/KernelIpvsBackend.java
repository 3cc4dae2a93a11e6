package org.jkeepalived.ipvs.kernel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.ipvs.BatchingLvsBackend;
import org.jkeepalived.ipvs.Errno;
import org.jkeepalived.ipvs.IpvsSemantics;
import org.jkeepalived.ipvs.LvsException;
import org.jkeepalived.ipvs.LvsOp;
import org.jkeepalived.ipvs.nativeio.NetlinkIoException;
import org.jkeepalived.ipvs.nativeio.NetlinkSocket;

/**
 * Linux IPVS through the generic netlink family "IPVS", spoken directly (no ipvsadm). Table writes
 * are packed many to a sendmsg (see {@link #applyBatch}); reads are NLM_F_DUMP dumps. Every method
 * is serialized on this object; one socket per backend.
 */
public final class KernelIpvsBackend implements BatchingLvsBackend {
    /** Requests per sendmsg: large enough to amortize the syscall, small enough for the socket buffers. */
    private static final int BATCH = 1000;

    private final GenlConnection conn;
    private final int family;
    private final AtomicLong writes = new AtomicLong();
    private final NlWriter writer = new NlWriter(1 << 16);

    private KernelIpvsBackend(GenlConnection conn, int family) {
        this.conn = conn;
        this.family = family;
    }

    /** Opens a NETLINK_GENERIC socket and resolves the IPVS family. */
    public static KernelIpvsBackend open() throws LvsException {
        NetlinkSocket s;
        try {
            s = NetlinkSocket.openGeneric();
        } catch (NetlinkIoException e) {
            throw new LvsException("kernel IPVS not available: " + e.getMessage(), e.errno(), e);
        } catch (LinkageError | RuntimeException e) {
            throw new LvsException("kernel IPVS not available: cannot load libc through jnr-ffi: " + e, 0, e);
        }
        return open(s);
    }

    /** Over a given socket (tests hand a scripted one). Closes it when the family is missing. */
    public static KernelIpvsBackend open(NetlinkSocket socket) throws LvsException {
        GenlConnection c = new GenlConnection(socket);
        try {
            int id = c.resolveFamily(IpvsCodec.FAMILY);
            if (id < 0) {
                throw new LvsException("kernel IPVS not available: generic netlink family IPVS not found (load module ip_vs)", 2, null);
            }
            return new KernelIpvsBackend(c, id);
        } catch (NetlinkIoException e) {
            c.close();
            throw new LvsException("kernel IPVS not available: " + e.getMessage(), e.errno(), e);
        } catch (GenlConnection.KernelError e) {
            c.close();
            throw new LvsException("kernel IPVS not available: resolving generic netlink family IPVS: "
                    + Errno.describe(e.errno, null), e.errno, e);
        } catch (LvsException e) {
            c.close();
            throw e;
        }
    }

    /** True when this kernel has IPVS (and we may talk to it). */
    public static boolean available() {
        try (KernelIpvsBackend b = open()) {
            return true;
        } catch (LvsException e) {
            return false;
        }
    }

    @Override public String name() { return "kernel-ipvs"; }

    /** Netlink requests that change kernel state, sent since this backend opened. */
    public long writeCount() { return writes.get(); }

    // ---- table writes ------------------------------------------------------------------

    @Override public void addService(VirtualService s) throws LvsException { one(new LvsOp.AddService(s)); }
    @Override public void editService(VirtualService s) throws LvsException { one(new LvsOp.EditService(s)); }
    @Override public void deleteService(ServiceKey k) throws LvsException { one(new LvsOp.DeleteService(k)); }
    @Override public void addDestination(ServiceKey k, Destination d) throws LvsException { one(new LvsOp.AddDestination(k, d)); }
    @Override public void editDestination(ServiceKey k, Destination d) throws LvsException { one(new LvsOp.EditDestination(k, d)); }
    @Override public void deleteDestination(ServiceKey k, Destination.DestinationKey d) throws LvsException { one(new LvsOp.DeleteDestination(k, d)); }

    private void one(LvsOp op) throws LvsException {
        Outcome o = applyBatch(List.of(op)).get(0);
        if (!o.ok()) throw o.error();
    }

    /**
     * Applies the ops in order, up to {@value #BATCH} per sendmsg: each request goes without NLM_F_ACK
     * except the last of a chunk, so the kernel answers only failures and one final ACK. Ops that
     * fail our own checks (see {@link #validate}) are not sent.
     */
    @Override public synchronized List<Outcome> applyBatch(List<LvsOp> ops) {
        Outcome[] out = new Outcome[ops.size()];
        List<Integer> toSend = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            LvsException bad = validate(ops.get(i));
            if (bad != null) out[i] = new Outcome(ops.get(i), bad);
            else toSend.add(i);
        }
        for (int from = 0; from < toSend.size(); from += BATCH) {
            int to = Math.min(toSend.size(), from + BATCH);
            int count = to - from;
            int first = conn.reserveSeqs(count);
            writer.reset();
            for (int j = 0; j < count; j++) {
                int flags = GenlConnection.NLM_F_REQUEST | (j == count - 1 ? GenlConnection.NLM_F_ACK : 0);
                IpvsCodec.encode(writer, family, flags, first + j, ops.get(toSend.get(from + j)));
            }
            String[] texts = new String[count];
            int[] errnos;
            try {
                writes.addAndGet(count);
                errnos = conn.batch(writer, first, count, texts);
            } catch (NetlinkIoException e) {
                for (int j = from; j < toSend.size(); j++) {
                    LvsOp op = ops.get(toSend.get(j));
                    out[toSend.get(j)] = new Outcome(op, new LvsException(op.describe() + ": netlink I/O failed: "
                            + e.getMessage() + " (result unknown, re-read the table)", e.errno(), e));
                }
                break;
            }
            for (int j = 0; j < count; j++) {
                LvsOp op = ops.get(toSend.get(from + j));
                out[toSend.get(from + j)] = new Outcome(op, errnos[j] == 0 ? null : kernelError(op, errnos[j], texts[j]));
            }
        }
        return List.of(out);
    }

    private static LvsException kernelError(LvsOp op, int errno, String text) {
        return new LvsException(op.describe() + ": " + Errno.describe(errno, op) + (text == null ? "" : " [kernel: " + text + "]"),
                errno, null);
    }

    /**
     * Checks the kernel would make silently odd or that ipvsadm refuses, so the message is ours and
     * clear: port 0 only for persistent services (a catch-all), one-packet scheduling only for UDP,
     * name lengths, weights, thresholds, mixed address families only with TUN, GUE needs a port.
     * Null when fine.
     */
    static LvsException validate(LvsOp op) {
        try {
            VirtualService s = op instanceof LvsOp.AddService a ? a.definition()
                    : op instanceof LvsOp.EditService e ? e.definition() : null;
            ServiceKey k = op.service();
            if (!k.isFwmark() && k.address() != null && (k.address() instanceof Inet6Address) != k.ipv6()) {
                return invalid(op, "service address family does not match its ipv6 flag");
            }
            if (s != null) {
                if (!k.isFwmark() && k.port() == 0 && !s.persistent()) {
                    return invalid(op, "port 0 is only valid for a persistent service (ipvsadm: \"Zero port specified for non-persistent service\")");
                }
                if (k.port() < 0 || k.port() > 65535) return invalid(op, "port " + k.port() + " out of range");
                if (s.ops() && !k.isFwmark() && k.protocol() != L4Protocol.UDP) {
                    return invalid(op, "one-packet scheduling (ops) is only for UDP services");
                }
                if (IpvsSemantics.scheduler(s).length() > 15) return invalid(op, "scheduler name longer than 15 characters");
                if (IpvsSemantics.pe(s).length() > 15) return invalid(op, "persistence engine name longer than 15 characters");
                if (s.persistenceTimeoutSeconds() < 0) return invalid(op, "negative persistence timeout");
                IpvsSemantics.serviceFlags(s);
                IpvsSemantics.netmask(s);
            }
            Destination d = op instanceof LvsOp.AddDestination a ? a.destination()
                    : op instanceof LvsOp.EditDestination e ? e.destination() : null;
            if (d != null) {
                Destination n = IpvsSemantics.normalize(k, d);
                if (n.port() < 0 || n.port() > 65535) return invalid(op, "port " + n.port() + " out of range");
                if (n.weight() < 0) return invalid(op, "weight " + n.weight() + " is negative");
                if (n.upperThreshold() < 0 || n.lowerThreshold() < 0) return invalid(op, "negative connection threshold");
                boolean v6 = n.address() instanceof Inet6Address;
                if (v6 != k.ipv6() && n.method() != LvsMethod.TUN) {
                    return invalid(op, "an IPv" + (v6 ? 6 : 4) + " real server in an IPv" + (k.ipv6() ? 6 : 4)
                            + " service needs lvs_method TUN");
                }
                if (n.method() == LvsMethod.TUN) {
                    var t = IpvsSemantics.normalizeTunnel(n.tunnel());
                    IpvsSemantics.tunnelType(t);
                    IpvsSemantics.tunnelFlags(t);
                    if (t.type().equals("gue") && (t.port() == null || t.port() <= 0 || t.port() > 65535)) {
                        return invalid(op, "tunnel type gue needs a port in 1..65535");
                    }
                }
            }
            return null;
        } catch (IllegalArgumentException e) {
            return invalid(op, e.getMessage());
        }
    }

    private static LvsException invalid(LvsOp op, String why) {
        return new LvsException(op.describe() + ": " + why, 22, null);
    }

    @Override public synchronized void flush() throws LvsException {
        simpleWrite(IpvsCodec.CMD_FLUSH, null, "flushing the IPVS table");
    }

    // ---- reads ---------------------------------------------------------------------------

    /** A service as dumped, with its counters and destinations. */
    public record Entry(VirtualService service, Counters counters, List<DestEntry> destinations) {}

    public record DestEntry(Destination destination, int activeConns, int inactiveConns, int persistConns,
                            Counters counters) {}

    /** The whole table with counters: one service dump, then one destination dump per service. */
    public synchronized List<Entry> readEntries() throws LvsException {
        return readEntries(true);
    }

    private List<Entry> readEntries(boolean withStats) throws LvsException {
        List<VirtualService> svcs = new ArrayList<>();
        List<Counters> svcCounters = new ArrayList<>();
        writer.reset();
        int seq = conn.nextSeq();
        writer.beginGenl(family, GenlConnection.NLM_F_REQUEST | GenlConnection.NLM_F_DUMP, seq, IpvsCodec.CMD_GET_SERVICE,
                IpvsCodec.VERSION).end();
        try {
            conn.transact(writer, seq, true, m -> {
                NlAttrs svc = m.attrs().nested(IpvsCodec.CMD_ATTR_SERVICE);
                if (svc == null) return;
                svcs.add(IpvsCodec.service(svc));
                svcCounters.add(withStats ? IpvsCodec.counters(svc, IpvsCodec.SVC_ATTR_STATS, IpvsCodec.SVC_ATTR_STATS64) : Counters.ZERO);
            });
        } catch (NetlinkIoException e) {
            throw new LvsException("reading IPVS services: " + e.getMessage(), e.errno(), e);
        } catch (GenlConnection.KernelError e) {
            throw new LvsException("reading IPVS services: " + Errno.describe(e.errno, null), e.errno, e);
        }
        List<Entry> out = new ArrayList<>(svcs.size());
        for (int i = 0; i < svcs.size(); i++) {
            VirtualService s = svcs.get(i);
            List<DestEntry> ds = readDests(s.key(), withStats);
            List<Destination> plain = new ArrayList<>(ds.size());
            for (DestEntry d : ds) plain.add(d.destination());
            out.add(new Entry(s.withDestinations(plain), svcCounters.get(i), ds));
        }
        return out;
    }

    private List<DestEntry> readDests(ServiceKey k, boolean withStats) throws LvsException {
        List<DestEntry> ds = new ArrayList<>();
        writer.reset();
        int seq = conn.nextSeq();
        writer.beginGenl(family, GenlConnection.NLM_F_REQUEST | GenlConnection.NLM_F_DUMP, seq, IpvsCodec.CMD_GET_DEST,
                IpvsCodec.VERSION);
        IpvsCodec.serviceId(writer, k);
        writer.end();
        try {
            conn.transact(writer, seq, true, m -> {
                NlAttrs d = m.attrs().nested(IpvsCodec.CMD_ATTR_DEST);
                if (d == null) return;
                ds.add(new DestEntry(IpvsCodec.destination(d, k), d.u32(IpvsCodec.DEST_ATTR_ACTIVE_CONNS, 0),
                        d.u32(IpvsCodec.DEST_ATTR_INACT_CONNS, 0), d.u32(IpvsCodec.DEST_ATTR_PERSIST_CONNS, 0),
                        withStats ? IpvsCodec.counters(d, IpvsCodec.DEST_ATTR_STATS, IpvsCodec.DEST_ATTR_STATS64) : Counters.ZERO));
            });
        } catch (NetlinkIoException e) {
            throw new LvsException("reading destinations of " + IpvsSemantics.describe(k) + ": " + e.getMessage(), e.errno(), e);
        } catch (GenlConnection.KernelError e) {
            throw new LvsException("reading destinations of " + IpvsSemantics.describe(k) + ": " + Errno.describe(e.errno, null), e.errno, e);
        }
        return ds;
    }

    @Override public synchronized List<VirtualService> readTable() throws LvsException {
        List<VirtualService> out = new ArrayList<>();
        for (Entry e : readEntries(false)) out.add(e.service());
        return out;
    }

    @Override public List<ServiceStats> readStats() throws LvsException {
        List<ServiceStats> out = new ArrayList<>();
        for (Entry e : readEntries()) {
            List<DestinationStats> ds = new ArrayList<>();
            for (DestEntry d : e.destinations()) {
                ds.add(new DestinationStats(d.destination().key(), d.activeConns(), d.inactiveConns(), d.counters()));
            }
            out.add(new ServiceStats(e.service().key(), e.counters(), ds));
        }
        return out;
    }

    /** IPVS_CMD_GET_INFO. */
    public synchronized IpvsInfo info() throws LvsException {
        int[] v = {0, 0};
        get(IpvsCodec.CMD_GET_INFO, "reading IPVS info", m -> {
            NlAttrs a = m.attrs();
            v[0] = a.u32(IpvsCodec.INFO_ATTR_VERSION, 0);
            v[1] = a.u32(IpvsCodec.INFO_ATTR_CONN_TAB_SIZE, 0);
        });
        return new IpvsInfo(v[0], v[1]);
    }

    @Override public synchronized Timeouts readTimeouts() throws LvsException {
        Integer[] t = new Integer[3];
        get(IpvsCodec.CMD_GET_CONFIG, "reading IPVS timeouts", m -> {
            NlAttrs a = m.attrs();
            if (a.has(IpvsCodec.CMD_ATTR_TIMEOUT_TCP)) t[0] = a.u32(IpvsCodec.CMD_ATTR_TIMEOUT_TCP, 0);
            if (a.has(IpvsCodec.CMD_ATTR_TIMEOUT_TCP_FIN)) t[1] = a.u32(IpvsCodec.CMD_ATTR_TIMEOUT_TCP_FIN, 0);
            if (a.has(IpvsCodec.CMD_ATTR_TIMEOUT_UDP)) t[2] = a.u32(IpvsCodec.CMD_ATTR_TIMEOUT_UDP, 0);
        });
        return new Timeouts(t[0], t[1], t[2]);
    }

    /** lvs_timeouts: null fields stay as they are (the kernel keeps what is not sent). */
    @Override public synchronized void setTimeouts(Timeouts t) throws LvsException {
        simpleWrite(IpvsCodec.CMD_SET_CONFIG, w -> {
            if (t.tcp() != null) w.u32(IpvsCodec.CMD_ATTR_TIMEOUT_TCP, t.tcp());
            if (t.tcpFin() != null) w.u32(IpvsCodec.CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFin());
            if (t.udp() != null) w.u32(IpvsCodec.CMD_ATTR_TIMEOUT_UDP, t.udp());
        }, "setting IPVS timeouts");
    }

    // ---- sync daemon ---------------------------------------------------------------------

    /** IPVS_CMD_NEW_DAEMON (ipvsadm --start-daemon). */
    public synchronized void startSyncDaemon(SyncDaemon d) throws LvsException {
        simpleWrite(IpvsCodec.CMD_NEW_DAEMON, w -> {
            int n = w.beginNest(IpvsCodec.CMD_ATTR_DAEMON);
            w.u32(IpvsCodec.DAEMON_ATTR_STATE, d.state().code);
            w.string(IpvsCodec.DAEMON_ATTR_MCAST_IFN, d.iface());
            w.u32(IpvsCodec.DAEMON_ATTR_SYNC_ID, d.syncId());
            if (d.maxLen() != null) w.u16(IpvsCodec.DAEMON_ATTR_SYNC_MAXLEN, d.maxLen());
            if (d.group() instanceof Inet4Address) w.attr(IpvsCodec.DAEMON_ATTR_MCAST_GROUP, d.group().getAddress());
            if (d.group() instanceof Inet6Address) w.attr(IpvsCodec.DAEMON_ATTR_MCAST_GROUP6, d.group().getAddress());
            if (d.port() != null) w.u16(IpvsCodec.DAEMON_ATTR_MCAST_PORT, d.port());
            if (d.ttl() != null) w.u8(IpvsCodec.DAEMON_ATTR_MCAST_TTL, d.ttl());
            w.endNest(n);
        }, "starting the " + d.state().name().toLowerCase() + " sync daemon on " + d.iface());
    }

    /** IPVS_CMD_DEL_DAEMON (ipvsadm --stop-daemon). */
    public synchronized void stopSyncDaemon(SyncDaemon.State state) throws LvsException {
        simpleWrite(IpvsCodec.CMD_DEL_DAEMON, w -> {
            int n = w.beginNest(IpvsCodec.CMD_ATTR_DAEMON);
            w.u32(IpvsCodec.DAEMON_ATTR_STATE, state.code);
            w.endNest(n);
        }, "stopping the " + state.name().toLowerCase() + " sync daemon");
    }

    /** IPVS_CMD_GET_DAEMON: the running sync daemons (master and/or backup). */
    public synchronized List<SyncDaemon> readSyncDaemons() throws LvsException {
        List<SyncDaemon> out = new ArrayList<>();
        writer.reset();
        int seq = conn.nextSeq();
        writer.beginGenl(family, GenlConnection.NLM_F_REQUEST | GenlConnection.NLM_F_DUMP, seq, IpvsCodec.CMD_GET_DAEMON,
                IpvsCodec.VERSION).end();
        try {
            conn.transact(writer, seq, true, m -> {
                NlAttrs d = m.attrs().nested(IpvsCodec.CMD_ATTR_DAEMON);
                if (d == null) return;
                java.net.InetAddress group = null;
                try {
                    if (d.has(IpvsCodec.DAEMON_ATTR_MCAST_GROUP)) group = java.net.InetAddress.getByAddress(d.bytes(IpvsCodec.DAEMON_ATTR_MCAST_GROUP));
                    else if (d.has(IpvsCodec.DAEMON_ATTR_MCAST_GROUP6)) group = java.net.InetAddress.getByAddress(d.bytes(IpvsCodec.DAEMON_ATTR_MCAST_GROUP6));
                } catch (java.net.UnknownHostException e) {
                    group = null;
                }
                out.add(new SyncDaemon(SyncDaemon.State.of(d.u32(IpvsCodec.DAEMON_ATTR_STATE, 1)),
                        d.string(IpvsCodec.DAEMON_ATTR_MCAST_IFN), d.u32(IpvsCodec.DAEMON_ATTR_SYNC_ID, 0),
                        d.has(IpvsCodec.DAEMON_ATTR_SYNC_MAXLEN) ? d.u16(IpvsCodec.DAEMON_ATTR_SYNC_MAXLEN, 0) : null, group,
                        d.has(IpvsCodec.DAEMON_ATTR_MCAST_PORT) ? d.u16(IpvsCodec.DAEMON_ATTR_MCAST_PORT, 0) : null,
                        d.has(IpvsCodec.DAEMON_ATTR_MCAST_TTL) ? d.u8(IpvsCodec.DAEMON_ATTR_MCAST_TTL, 0) : null));
            });
        } catch (NetlinkIoException e) {
            throw new LvsException("reading IPVS sync daemons: " + e.getMessage(), e.errno(), e);
        } catch (GenlConnection.KernelError e) {
            throw new LvsException("reading IPVS sync daemons: " + Errno.describe(e.errno, null), e.errno, e);
        }
        return out;
    }

    // ---- plumbing ------------------------------------------------------------------------

    private interface Attrs {
        void write(NlWriter w);
    }

    private void simpleWrite(int cmd, Attrs attrs, String what) throws LvsException {
        writer.reset();
        int seq = conn.nextSeq();
        writer.beginGenl(family, GenlConnection.NLM_F_REQUEST | GenlConnection.NLM_F_ACK, seq, cmd, IpvsCodec.VERSION);
        if (attrs != null) attrs.write(writer);
        writer.end();
        writes.incrementAndGet();
        try {
            conn.transact(writer, seq, false, m -> { });
        } catch (NetlinkIoException e) {
            throw new LvsException(what + ": " + e.getMessage(), e.errno(), e);
        } catch (GenlConnection.KernelError e) {
            throw new LvsException(what + ": " + Errno.describe(e.errno, null)
                    + (e.kernelText == null ? "" : " [kernel: " + e.kernelText + "]"), e.errno, e);
        }
    }

    private void get(int cmd, String what, GenlConnection.MsgHandler h) throws LvsException {
        writer.reset();
        int seq = conn.nextSeq();
        writer.beginGenl(family, GenlConnection.NLM_F_REQUEST, seq, cmd, IpvsCodec.VERSION).end();
        try {
            conn.transact(writer, seq, false, h);
        } catch (NetlinkIoException e) {
            throw new LvsException(what + ": " + e.getMessage(), e.errno(), e);
        } catch (GenlConnection.KernelError e) {
            throw new LvsException(what + ": " + Errno.describe(e.errno, null), e.errno, e);
        }
    }

    @Override public synchronized void close() {
        conn.close();
    }
}
