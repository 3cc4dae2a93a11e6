package org.jkeepalived.ipvs.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.ipvs.InMemoryLvsBackend;
import org.jkeepalived.ipvs.LvsException;
import org.jkeepalived.ipvs.nativeio.NetlinkIoException;
import org.jkeepalived.ipvs.nativeio.NetlinkSocket;

/**
 * A scripted kernel behind a fake netlink socket: decodes our requests with the same codec the
 * kernel would honour, keeps the table in an {@link InMemoryLvsBackend} and answers as the kernel
 * does (errors only, or an ACK when NLM_F_ACK; dumps split over several datagrams, then NLMSG_DONE).
 */
final class FakeIpvsKernel implements NetlinkSocket {
    static final int FAMILY_ID = 0x22;
    final InMemoryLvsBackend table = new InMemoryLvsBackend();
    final Deque<byte[]> replies = new ArrayDeque<>();
    final List<Integer> sendSizes = new ArrayList<>();
    boolean ipvsMissing;
    int messagesPerDatagram = 3;
    int requests;

    @Override public void send(byte[] data, int len) {
        ByteBuffer bb = ByteBuffer.wrap(data, 0, len).order(ByteOrder.nativeOrder());
        int p = 0;
        int n = 0;
        while (p + 16 <= len) {
            int mlen = bb.getInt(p);
            int type = bb.getShort(p + 4) & 0xFFFF;
            int flags = bb.getShort(p + 6) & 0xFFFF;
            int seq = bb.getInt(p + 8);
            handle(bb, p, mlen, type, flags, seq);
            n++;
            p += (mlen + 3) & ~3;
        }
        sendSizes.add(n);
    }

    private void handle(ByteBuffer bb, int p, int mlen, int type, int flags, int seq) {
        requests++;
        int cmd = bb.get(p + 16) & 0xFF;
        NlAttrs attrs = NlAttrs.parse(bb, p + 20, p + mlen);
        if (type == GenlConnection.GENL_ID_CTRL) {
            if (ipvsMissing || !"IPVS".equals(attrs.string(GenlConnection.CTRL_ATTR_FAMILY_NAME))) {
                error(seq, 2);
                return;
            }
            NlWriter w = new NlWriter();
            w.beginGenl(GenlConnection.GENL_ID_CTRL, 0, seq, 1, 2).u16(GenlConnection.CTRL_ATTR_FAMILY_ID, FAMILY_ID)
                    .string(GenlConnection.CTRL_ATTR_FAMILY_NAME, "IPVS").end();
            replies.add(w.toByteArray());
            return;
        }
        if (type != FAMILY_ID) {
            error(seq, 22);
            return;
        }
        try {
            switch (cmd) {
                case IpvsCodec.CMD_NEW_SERVICE:
                    table.addService(IpvsCodec.service(attrs.nested(IpvsCodec.CMD_ATTR_SERVICE)));
                    break;
                case IpvsCodec.CMD_SET_SERVICE:
                    table.editService(IpvsCodec.service(attrs.nested(IpvsCodec.CMD_ATTR_SERVICE)));
                    break;
                case IpvsCodec.CMD_DEL_SERVICE:
                    table.deleteService(IpvsCodec.serviceKey(attrs.nested(IpvsCodec.CMD_ATTR_SERVICE)));
                    break;
                case IpvsCodec.CMD_NEW_DEST: case IpvsCodec.CMD_SET_DEST: case IpvsCodec.CMD_DEL_DEST: {
                    ServiceKey k = IpvsCodec.serviceKey(attrs.nested(IpvsCodec.CMD_ATTR_SERVICE));
                    Destination d = IpvsCodec.destination(attrs.nested(IpvsCodec.CMD_ATTR_DEST), k);
                    if (cmd == IpvsCodec.CMD_NEW_DEST) table.addDestination(k, d);
                    else if (cmd == IpvsCodec.CMD_SET_DEST) table.editDestination(k, d);
                    else table.deleteDestination(k, d.key());
                    break;
                }
                case IpvsCodec.CMD_FLUSH:
                    table.flush();
                    break;
                case IpvsCodec.CMD_GET_SERVICE: {
                    List<byte[]> msgs = new ArrayList<>();
                    for (VirtualService s : table.readTable()) {
                        NlWriter w = new NlWriter();
                        w.beginGenl(FAMILY_ID, GenlConnection.NLM_F_MULTI, seq, IpvsCodec.CMD_NEW_SERVICE, 1);
                        IpvsCodec.serviceFull(w, s);
                        msgs.add(w.end().toByteArray());
                    }
                    dump(msgs, seq);
                    return;
                }
                case IpvsCodec.CMD_GET_DEST: {
                    ServiceKey k = IpvsCodec.serviceKey(attrs.nested(IpvsCodec.CMD_ATTR_SERVICE));
                    List<byte[]> msgs = new ArrayList<>();
                    for (VirtualService s : table.readTable()) {
                        if (!s.key().equals(k)) continue;
                        for (Destination d : s.destinations()) {
                            NlWriter w = new NlWriter();
                            w.beginGenl(FAMILY_ID, GenlConnection.NLM_F_MULTI, seq, IpvsCodec.CMD_NEW_DEST, 1);
                            IpvsCodec.dest(w, k, d, true);
                            msgs.add(w.end().toByteArray());
                        }
                    }
                    dump(msgs, seq);
                    return;
                }
                default:
                    error(seq, 22);
                    return;
            }
            if ((flags & GenlConnection.NLM_F_ACK) != 0) error(seq, 0);
        } catch (LvsException e) {
            error(seq, e.errno());
        }
    }

    private void dump(List<byte[]> msgs, int seq) {
        NlWriter done = new NlWriter();
        done.beginGenl(GenlConnection.NLMSG_DONE, GenlConnection.NLM_F_MULTI, seq, 0, 0).end();
        msgs = new ArrayList<>(msgs);
        msgs.add(done.toByteArray());
        for (int i = 0; i < msgs.size(); i += messagesPerDatagram) {
            ByteBuffer d = ByteBuffer.allocate(1 << 16);
            for (int j = i; j < Math.min(msgs.size(), i + messagesPerDatagram); j++) d.put(msgs.get(j));
            byte[] out = new byte[d.position()];
            d.flip().get(out);
            replies.add(out);
        }
    }

    /** NLMSG_ERROR with the request header echoed (NETLINK_CAP_ACK style). */
    private void error(int seq, int errno) {
        ByteBuffer b = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
        b.putInt(36).putShort((short) GenlConnection.NLMSG_ERROR).putShort((short) GenlConnection.NLM_F_CAPPED).putInt(seq).putInt(0);
        b.putInt(-errno);
        b.putInt(16).putShort((short) FAMILY_ID).putShort((short) 0).putInt(seq).putInt(0);
        replies.add(b.array());
    }

    @Override public int receive(byte[] into) throws NetlinkIoException {
        byte[] r = replies.poll();
        if (r == null) throw new NetlinkIoException("recv(netlink): Resource temporarily unavailable", 11);
        System.arraycopy(r, 0, into, 0, r.length);
        return r.length;
    }

    @Override public void close() {}
}
