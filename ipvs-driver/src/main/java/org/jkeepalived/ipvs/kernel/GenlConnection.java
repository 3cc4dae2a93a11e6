package org.jkeepalived.ipvs.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jkeepalived.ipvs.nativeio.NetlinkIoException;
import org.jkeepalived.ipvs.nativeio.NetlinkSocket;

/**
 * Request/response over one netlink socket: single requests, multi-part dumps (NLM_F_DUMP, ended
 * by NLMSG_DONE) and batches (many requests in one sendmsg; only the last asks for an ACK, so the
 * kernel answers only errors and that last ACK). Not thread-safe; the backend serializes.
 */
final class GenlConnection implements AutoCloseable {
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_CAPPED = 0x100;
    static final int NLM_F_ACK_TLVS = 0x200;
    static final int NLMSGERR_ATTR_MSG = 1;
    static final int GENL_ID_CTRL = 0x10;
    static final int CTRL_CMD_GETFAMILY = 3;
    static final int CTRL_ATTR_FAMILY_ID = 1;
    static final int CTRL_ATTR_FAMILY_NAME = 2;

    private final NetlinkSocket sock;
    private final byte[] rbuf = new byte[1 << 20];
    private final ByteBuffer rbb = ByteBuffer.wrap(rbuf).order(ByteOrder.nativeOrder());
    private int seq = 1;

    /** A kernel NLMSG_ERROR with a non-zero error. */
    static final class KernelError extends Exception {
        final int errno;
        final String kernelText;

        KernelError(int errno, String kernelText) {
            super("errno " + errno + (kernelText == null ? "" : ": " + kernelText));
            this.errno = errno;
            this.kernelText = kernelText;
        }
    }

    /** One received generic netlink message: attributes live in bb[attrStart, end). */
    record Msg(ByteBuffer bb, int start, int end, int type, int flags, int seq) {
        int cmd() { return bb.get(start + NlWriter.NLMSG_HDRLEN) & 0xFF; }
        int attrStart() { return start + NlWriter.NLMSG_HDRLEN + NlWriter.GENL_HDRLEN; }
        NlAttrs attrs() { return NlAttrs.parse(bb, attrStart(), end); }
    }

    interface MsgHandler {
        void accept(Msg m);
    }

    GenlConnection(NetlinkSocket sock) {
        this.sock = sock;
    }

    int nextSeq() {
        seq = seq == Integer.MAX_VALUE ? 1 : seq + 1;
        return seq;
    }

    /** {@code n} consecutive sequence numbers (a batch); returns the first. */
    int reserveSeqs(int n) {
        if (seq > Integer.MAX_VALUE - n - 1) seq = 0;
        int first = seq + 1;
        seq += n;
        return first;
    }

    /** CTRL_CMD_GETFAMILY: the family's id, or -1 when the kernel does not know the name. */
    int resolveFamily(String name) throws NetlinkIoException, KernelError {
        NlWriter w = new NlWriter(64);
        int s = nextSeq();
        w.beginGenl(GENL_ID_CTRL, NLM_F_REQUEST, s, CTRL_CMD_GETFAMILY, 1).string(CTRL_ATTR_FAMILY_NAME, name).end();
        int[] id = {-1};
        try {
            transact(w, s, false, m -> id[0] = m.attrs().u16(CTRL_ATTR_FAMILY_ID, -1));
        } catch (KernelError e) {
            if (e.errno == 2) return -1;
            throw e;
        }
        return id[0];
    }

    /**
     * Sends one request (already in {@code w}, with sequence {@code s}) and hands each reply message to
     * {@code handler}. A dump ends with NLMSG_DONE; a plain request with its reply or its ACK.
     */
    void transact(NlWriter w, int s, boolean dump, MsgHandler handler) throws NetlinkIoException, KernelError {
        sock.send(w.array(), w.length());
        receiveUntil((p, len, type, flags, mseq) -> {
            if (mseq != s) return false;
            if (type == NLMSG_ERROR) {
                int err = -rbb.getInt(p + 16);
                if (err != 0) throw new KernelError(err, extText(p, len, flags));
                return true;
            }
            if (type == NLMSG_DONE) {
                int err = len >= 20 ? -rbb.getInt(p + 16) : 0;
                if (err > 0) throw new KernelError(err, null);
                return true;
            }
            handler.accept(new Msg(rbb, p, p + len, type, flags, mseq));
            return !dump && (flags & NLM_F_MULTI) == 0;
        });
    }

    /**
     * Sends {@code count} requests with sequences first..first+count-1 packed in {@code w} (only the last
     * carrying NLM_F_ACK) and waits for that last ACK. Returns the errno of each request (0 = done);
     * {@code texts[i]} gets the kernel's extended-ack text for a failed request, if any.
     */
    int[] batch(NlWriter w, int first, int count, String[] texts) throws NetlinkIoException {
        int[] errnos = new int[count];
        int last = first + count - 1;
        sock.send(w.array(), w.length());
        receiveUntil((p, len, type, flags, mseq) -> {
            if (type != NLMSG_ERROR || mseq - first < 0 || mseq - first >= count) return false;
            int i = mseq - first;
            errnos[i] = -rbb.getInt(p + 16);
            if (errnos[i] != 0 && texts != null) texts[i] = extText(p, len, flags);
            return mseq == last;
        });
        return errnos;
    }

    /** Looks at one received netlink message (at offset p of the receive buffer); true ends the wait. */
    @FunctionalInterface
    private interface MessageVisitor<E extends Exception> {
        boolean visit(int p, int len, int type, int flags, int seq) throws E;
    }

    /** Receives datagrams and walks their netlink messages until the visitor says it has what it waited for. */
    private <E extends Exception> void receiveUntil(MessageVisitor<E> visitor) throws NetlinkIoException, E {
        while (true) {
            int n = sock.receive(rbuf);
            int p = 0;
            while (p + NlWriter.NLMSG_HDRLEN <= n) {
                int len = rbb.getInt(p);
                if (len < NlWriter.NLMSG_HDRLEN || p + len > n) break;
                int type = rbb.getShort(p + 4) & 0xFFFF;
                int flags = rbb.getShort(p + 6) & 0xFFFF;
                if (visitor.visit(p, len, type, flags, rbb.getInt(p + 8))) return;
                p += (len + 3) & ~3;
            }
        }
    }

    /** NLMSGERR_ATTR_MSG of an extended ACK, if the kernel put one there. */
    private String extText(int p, int len, int flags) {
        if ((flags & NLM_F_ACK_TLVS) == 0) return null;
        int inner = (flags & NLM_F_CAPPED) != 0 ? NlWriter.NLMSG_HDRLEN : rbb.getInt(p + 20);
        int tlv = p + NlWriter.NLMSG_HDRLEN + 4 + ((inner + 3) & ~3);
        if (tlv >= p + len) return null;
        String s = NlAttrs.parse(rbb, tlv, p + len).string(NLMSGERR_ATTR_MSG);
        return s == null || s.isEmpty() ? null : s;
    }

    @Override public void close() {
        sock.close();
    }
}
