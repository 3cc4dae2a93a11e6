package org.jkeepalived.ipvs.nativeio;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The two socket calls the userspace engine needs beyond Netty's API: a send that keeps its data for
 * the FIN that follows (MSG_MORE), and the choice of listener in a SO_REUSEPORT group (a classic BPF
 * program of one instruction). Every call works on a descriptor Netty owns; none of them blocks.
 */
public final class TcpSockets {
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_MORE = 0x8000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    private static final short BPF_RET_K = 0x06;

    public interface LibC {
        @SaveError @ssize_t long send(int fd, long buf, @size_t long len, int flags);
        @SaveError int setsockopt(int fd, int level, int name, @In Pointer value, int len);
        @SaveError int setpriority(int which, int who, int prio);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    private TcpSockets() {}

    /**
     * send(2) of {@code len} bytes at native address {@code address} with MSG_MORE: the kernel holds them
     * back so that a shutdown(SHUT_WR) right after sends them in one segment with the FIN. Returns the
     * bytes taken (maybe fewer than {@code len}), or -1 (nothing taken: full buffer, closed socket...).
     */
    public static long sendBeforeFin(int fd, long address, int len) {
        return Holder.LIBC.send(fd, address, len, MSG_MORE | MSG_DONTWAIT | MSG_NOSIGNAL);
    }

    /**
     * setpriority(2) of one thread (Linux: PRIO_PROCESS with a thread id sets that thread's nice value).
     * False if refused (a negative value needs root or CAP_SYS_NICE).
     */
    public static boolean setThreadNice(int tid, int nice) {
        return Holder.LIBC.setpriority(0, tid, nice) == 0;
    }

    /**
     * Where the kernel puts the next connections of the SO_REUSEPORT group {@code fd} belongs to:
     * {@code index} = the group's listener in bind order, or -1 = spread them by hash (the kernel's
     * default; an index beyond the group falls back to the hash too). False if the kernel refused.
     */
    public static boolean steerReuseportGroup(int fd, int index) {
        Runtime rt = Holder.RUNTIME;
        Pointer insn = Memory.allocateDirect(rt, 8);   // struct sock_filter { u16 code; u8 jt, jf; u32 k }
        insn.putShort(0, BPF_RET_K);
        insn.putByte(2, (byte) 0);
        insn.putByte(3, (byte) 0);
        insn.putInt(4, index);
        Pointer prog = Memory.allocateDirect(rt, 16);  // struct sock_fprog { u16 len; struct sock_filter *filter }
        prog.putShort(0, (short) 1);
        prog.putAddress(8, insn.address());
        boolean ok = Holder.LIBC.setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, prog, 16) == 0;
        java.lang.ref.Reference.reachabilityFence(insn); // prog points into it until the call returns
        return ok;
    }
}
