package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jkeepalived.vrrp.io.RuleManager;
import org.jkeepalived.vrrp.io.VirtualRule;

/** {@link RuleManager} over its own NETLINK_ROUTE socket (struct fib_rule_hdr + FRA_* attributes). */
public final class NetlinkRuleManager implements RuleManager, AutoCloseable {
    static final int RTM_NEWRULE = 32;
    static final int RTM_DELRULE = 33;
    static final int FRA_DST = 1;
    static final int FRA_SRC = 2;
    static final int FRA_IIFNAME = 3;
    static final int FRA_GOTO = 4;
    static final int FRA_PRIORITY = 6;
    static final int FRA_FWMARK = 10;
    static final int FRA_FLOW = 11;
    static final int FRA_SUPPRESS_IFGROUP = 13;
    static final int FRA_SUPPRESS_PREFIXLEN = 14;
    static final int FRA_TABLE = 15;
    static final int FRA_FWMASK = 16;
    static final int FRA_OIFNAME = 17;
    static final int FRA_L3MDEV = 19;
    static final int FRA_UID_RANGE = 20;
    static final int FRA_PROTOCOL = 21;
    static final int FRA_IP_PROTO = 22;
    static final int FRA_SPORT_RANGE = 23;
    static final int FRA_DPORT_RANGE = 24;
    static final int FIB_RULE_INVERT = 0x2;
    private static final int EEXIST = 17;
    private static final int ENOENT = 2;

    private final NetlinkSocket nl;

    public NetlinkRuleManager() throws IOException {
        this.nl = new NetlinkSocket(0);
    }

    static byte[] ruleMessage(int type, int flags, int seq, VirtualRule r) {
        Nl.Builder b = new Nl.Builder(type, flags, seq)
                .u8(r.ipv6() ? Native.AF_INET6 : Native.AF_INET)
                .u8(r.to() == null ? 0 : r.toLen()).u8(r.from() == null ? 0 : r.fromLen()).u8(r.tos())
                .u8(r.table() > 0 && r.table() < 256 ? r.table() : 0).u8(0).u8(0).u8(r.action())
                .u32(r.invert() ? FIB_RULE_INVERT : 0);
        if (r.from() != null) {
            b.attr(FRA_SRC, r.from().getAddress());
        }
        if (r.to() != null) {
            b.attr(FRA_DST, r.to().getAddress());
        }
        if (r.priority() != null) {
            b.attrU32(FRA_PRIORITY, r.priority());
        }
        if (r.fwmark() != null) {
            b.attrU32(FRA_FWMARK, (int) (long) r.fwmark());
        }
        if (r.fwmask() != null) {
            b.attrU32(FRA_FWMASK, (int) (long) r.fwmask());
        }
        if (r.iif() != null) {
            b.attrString(FRA_IIFNAME, r.iif());
        }
        if (r.oif() != null) {
            b.attrString(FRA_OIFNAME, r.oif());
        }
        if (r.table() != 0) {
            b.attrU32(FRA_TABLE, r.table());
        }
        if (r.gotoTarget() != null) {
            b.attrU32(FRA_GOTO, r.gotoTarget());
        }
        if (r.realms() != null) {
            b.attrU32(FRA_FLOW, r.realms());
        }
        if (r.suppressPrefixLength() != null) {
            b.attrU32(FRA_SUPPRESS_PREFIXLEN, r.suppressPrefixLength());
        }
        if (r.suppressIfGroup() != null) {
            b.attrU32(FRA_SUPPRESS_IFGROUP, r.suppressIfGroup());
        }
        if (r.l3mdev()) {
            b.attrU8(FRA_L3MDEV, 1);
        }
        if (r.uidStart() != null) {
            b.attr(FRA_UID_RANGE, pair32(r.uidStart(), r.uidEnd()));
        }
        b.attrU8(FRA_PROTOCOL, r.protocol());
        if (r.ipProto() != null) {
            b.attrU8(FRA_IP_PROTO, r.ipProto());
        }
        if (r.sport() != null) {
            b.attr(FRA_SPORT_RANGE, pair16(r.sport()));
        }
        if (r.dport() != null) {
            b.attr(FRA_DPORT_RANGE, pair16(r.dport()));
        }
        return b.build();
    }

    private static byte[] pair32(long a, long z) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt((int) a).putInt((int) z).array();
    }

    private static byte[] pair16(int[] r) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putShort((short) r[0]).putShort((short) r[1])
                .array();
    }

    @Override
    public boolean add(VirtualRule r) throws IOException {
        int seq = NetlinkSocket.nextSeq();
        int err = -nl.request(ruleMessage(RTM_NEWRULE,
                Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, seq, r), seq);
        if (err == 0) {
            return true;
        }
        if (err == EEXIST) {
            return false;
        }
        throw new Native.NativeIoException("cannot add rule " + r + ": " + Native.C.strerror(err), err);
    }

    @Override
    public boolean remove(VirtualRule r) throws IOException {
        int seq = NetlinkSocket.nextSeq();
        int err = -nl.request(ruleMessage(RTM_DELRULE, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, seq, r), seq);
        if (err == 0) {
            return true;
        }
        if (err == ENOENT) {
            return false;
        }
        throw new Native.NativeIoException("cannot remove rule " + r + ": " + Native.C.strerror(err), err);
    }

    @Override
    public void close() {
        nl.close();
    }
}
