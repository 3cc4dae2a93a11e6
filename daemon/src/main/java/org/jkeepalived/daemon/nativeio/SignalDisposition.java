package org.jkeepalived.daemon.nativeio;

import jnr.ffi.LibraryLoader;

/**
 * Sets a signal's disposition to "ignore" for signals the JVM cannot handle: their default action
 * would end the process without a clean stop (no priority-0 advert, VIPs left on the interface).
 */
public final class SignalDisposition {
    public interface LibC {
        /** {@code sighandler_t signal(int signum, sighandler_t handler)}; handlers as addresses. */
        long signal(int signum, long handler);
    }

    private static final long SIG_IGN = 1L;
    private static final long SIG_ERR = -1L;

    private SignalDisposition() {}

    /** @return true when the signal is now ignored */
    public static boolean ignore(int signum) {
        LibC libc = LibraryLoader.create(LibC.class).load("c");
        return libc.signal(signum, SIG_IGN) != SIG_ERR;
    }
}
