package org.jkeepalived.ipvs.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import jnr.ffi.LibraryLoader;

/** Test helper: the process's open descriptors and RLIMIT_NOFILE (raised through libc when allowed). */
final class FdLimit {
    private FdLimit() {}

    private static final int RLIMIT_NOFILE = 7;

    public interface LibC {
        int getrlimit(int resource, long[] rlim);

        int setrlimit(int resource, long[] rlim);
    }

    /** Tries to raise the soft (and if root, the hard) limit to {@code wanted}; returns the soft limit now. */
    static long raise(long wanted) {
        try {
            LibC c = LibraryLoader.create(LibC.class).load("c");
            long[] r = new long[2];
            c.getrlimit(RLIMIT_NOFILE, r);
            if (r[0] >= wanted) return r[0];
            long[] n = {wanted, Math.max(wanted, r[1])};
            if (c.setrlimit(RLIMIT_NOFILE, n) != 0) {
                n = new long[] {Math.min(wanted, r[1]), r[1]};
                c.setrlimit(RLIMIT_NOFILE, n);
            }
            c.getrlimit(RLIMIT_NOFILE, r);
            return r[0];
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }

    static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
