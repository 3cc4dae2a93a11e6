package org.jkeepalived.vrrp.io;

import java.util.List;

/**
 * What vrrp_track_process looks at in one process: its name (/proc/PID/comm, at most 15
 * characters), its command line (/proc/PID/cmdline split at the NULs; empty when not read, and for
 * kernel threads and zombies), whether it is a zombie, and its parent.
 */
public record ProcInfo(String comm, List<String> cmdline, boolean zombie, int ppid) {
    public ProcInfo {
        cmdline = cmdline == null ? List.of() : List.copyOf(cmdline);
    }

    public static ProcInfo of(String comm, String... cmdline) {
        return new ProcInfo(comm, List.of(cmdline), false, 0);
    }
}
