package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;

/**
 * A socket fd plus an eventfd, so a thread blocked in poll(2) on the socket wakes up when another
 * thread closes it (closing an fd under a blocked reader does not wake it on Linux, and could hand
 * the number to a new socket). The fds are released only once no call is using them.
 */
final class PollableFd {
    private final int fd;
    private final int wakeFd;
    private int active;
    private boolean closed;
    private boolean released;

    PollableFd(int fd) throws IOException {
        this.fd = fd;
        int w = Native.C.eventfd(0, Native.EFD_CLOEXEC | Native.EFD_NONBLOCK);
        if (w < 0) {
            IOException e = Native.error("eventfd");
            Native.C.close(fd);
            throw e;
        }
        this.wakeFd = w;
    }

    /** Marks the start of a call on the fd; returns the fd. */
    synchronized int enter() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
        active++;
        return fd;
    }

    synchronized void exit() {
        active--;
        if (closed && active == 0) {
            release();
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Waits until the socket is readable (true), the timeout passes (false; negative = forever),
     * or the fd is closed (ClosedChannelException). Call between enter() and exit().
     */
    boolean awaitReadable(int timeoutMillis) throws IOException {
        byte[] fds = new byte[16];
        ByteBuffer b = ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder());
        b.putInt(fd).putShort((short) Native.POLLIN).putShort((short) 0);
        b.putInt(wakeFd).putShort((short) Native.POLLIN).putShort((short) 0);
        while (true) {
            int rc = Native.C.poll(fds, 2, timeoutMillis);
            if (rc < 0) {
                if (Native.errno() == Native.EINTR) {
                    continue;
                }
                throw Native.error("poll");
            }
            if (isClosed()) {
                throw new ClosedChannelException();
            }
            if (rc == 0) {
                return false;
            }
            short revents = b.getShort(6);
            return revents != 0;
        }
    }

    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
            Native.C.write(wakeFd, one, 8);
            if (active == 0) {
                release();
            }
        }
    }

    private void release() {
        if (!released) {
            released = true;
            Native.C.close(fd);
            Native.C.close(wakeFd);
        }
    }
}
