package org.jkeepalived.vrrp.io;

import java.util.List;

/**
 * What vrrp_track_process looks at in one process: its name (/proc/PID/comm, at most 15
 * bytes), its command line (/proc/PID/cmdline split at the NULs; empty when not read, and for
 * kernel threads and zombies), whether it is a zombie, its parent, and its start time (field 22 of
 * /proc/PID/stat, clock ticks since boot; 0 when unknown): with the pid it tells one process from a
 * later one reusing the pid.
 */
public record ProcInfo(String comm, List<String> cmdline, boolean zombie, int ppid, long startTime) {
    public ProcInfo {
        cmdline = cmdline == null ? List.of() : List.copyOf(cmdline);
    }

    public ProcInfo(String comm, List<String> cmdline, boolean zombie, int ppid) {
        this(comm, cmdline, zombie, ppid, 0);
    }

    public static ProcInfo of(String comm, String... cmdline) {
        return new ProcInfo(comm, List.of(cmdline), false, 0);
    }

    ProcInfo withCmdline(List<String> words) {
        return new ProcInfo(comm, words, zombie, ppid, startTime);
    }
}
