package org.jkeepalived.vrrp.io;

import java.util.Map;

/**
 * What a {@link ProcessMonitor} reports: every process at once, or one change of one process (the
 * kernel's proc connector events PROC_EVENT_EXEC / FORK / EXIT / COMM; threads are left out).
 */
public sealed interface ProcessEvent {
    /** Every process (by pid) now: at subscription, after lost events, and each poll without the connector. */
    record Snapshot(Map<Integer, ProcInfo> processes) implements ProcessEvent {
        public Snapshot {
            processes = Map.copyOf(processes);
        }
    }

    /** The process exec'd a new program; {@code info} is null when it was gone before /proc could be read. */
    record Exec(int pid, ProcInfo info) implements ProcessEvent {}

    /** A new process (not a thread): it runs the parent's program until it execs. */
    record Fork(int parentPid, int childPid) implements ProcessEvent {}

    record Exit(int pid) implements ProcessEvent {}

    /** The process changed its name (prctl PR_SET_NAME, or a write to /proc/PID/comm). */
    record Comm(int pid, String comm) implements ProcessEvent {}
}
