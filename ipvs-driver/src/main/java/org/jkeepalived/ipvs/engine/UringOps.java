package org.jkeepalived.ipvs.engine;

import io.netty.channel.uring.IoUringIoOps;

/**
 * The io_uring submissions the direct relay makes (io_uring.h's opcodes and flags; Netty's own
 * factories for them are not public).
 */
final class UringOps {
    static final byte IORING_OP_POLL_ADD = 6;
    static final byte IORING_OP_ASYNC_CANCEL = 14;
    static final int IORING_POLL_ADD_MULTI = 1;
    static final int CQE_F_MORE = 1 << 1;
    static final int POLLIN = 0x1, POLLOUT = 0x4, POLLRDHUP = 0x2000;

    private UringOps() {}

    /** Watches {@code fd} for {@code mask}; multishot: until cancelled, one completion per wake-up. */
    static IoUringIoOps poll(int fd, int mask, boolean multishot, short data) {
        return new IoUringIoOps(IORING_OP_POLL_ADD, (byte) 0, (short) 0, fd, 0L, 0L,
                multishot ? IORING_POLL_ADD_MULTI : 0, mask, (long) data, (short) 0, (short) 0, 0, 0L);
    }

    /** Cancels the operation whose io_uring id (as {@code IoRegistration.submit} returned it) is {@code id}. */
    static IoUringIoOps cancel(long id, short data) {
        return new IoUringIoOps(IORING_OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1, 0L, id, 0, 0, (long) data,
                (short) 0, (short) 0, 0, 0L);
    }
}
