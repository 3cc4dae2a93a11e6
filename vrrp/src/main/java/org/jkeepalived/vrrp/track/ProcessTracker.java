package org.jkeepalived.vrrp.track;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.jkeepalived.core.config.TrackProcess;
import org.jkeepalived.vrrp.io.ProcInfo;
import org.jkeepalived.vrrp.io.ProcessEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every vrrp_track_process's matching processes and quorum status, pure (time passed in as
 * nanoseconds, the process table and its changes passed in by a
 * {@link org.jkeepalived.vrrp.io.ProcessMonitor}).
 *
 * <p>Matching, as keepalived 2.2.7: the process name (/proc/PID/comm) equals {@code process}
 * exactly; with full_command (implied by parameters or param_match) argv[0] of /proc/PID/cmdline
 * equals it instead and the parameters are compared with the other words: exactly (no more, no
 * fewer), the first n (partial), or the first n with the last one only a prefix (initial). Zombies
 * do not count.
 *
 * <p>Quorum: {@code quorum <= count <= quorum_max}. The first snapshot sets each status as it
 * is, without delay. Afterwards a change of the quorum caused by a fork waits fork_delay and one
 * caused by an exit waits terminate_delay; one caused by an exec or a name change applies at once.
 * While a delay runs, a count back on the old side of the quorum cancels it (the bounce the
 * delays are for), a further change the same way leaves it running, and when it ends the status
 * is whatever the count says then.
 *
 * <p>A pid counts once per vrrp_track_process (keepalived may count a child that forked from a
 * counted parent and then exec'd a matching program twice; see the README).
 */
public final class ProcessTracker {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessTracker.class);

    /** A vrrp_track_process whose quorum status changed (UNKNOWN to UP or DOWN at the first snapshot). */
    public record Change(String name, boolean up) {}

    private enum Cause { EXEC, FORK, EXIT }

    private static final class Tracked {
        TrackProcess config;
        final Set<Integer> pids = new HashSet<>();
        TrackStatus status = TrackStatus.UNKNOWN;
        boolean timerSet;
        long timerAt;

        Tracked(TrackProcess config) {
            this.config = config;
        }

        boolean inQuorum() {
            return config.inQuorum(pids.size());
        }
    }

    private final Map<String, Tracked> byName = new LinkedHashMap<>();

    public ProcessTracker(Collection<TrackProcess> configs) {
        for (TrackProcess p : configs) {
            byName.putIfAbsent(p.name(), new Tracked(p));
        }
    }

    /**
     * New definitions (a reload): ones matching and counting as before ({@link TrackProcess#countsLike};
     * weight, reverse and delays may differ) keep their processes, status and any running delay;
     * new and changed ones are UNKNOWN until the next snapshot; removed ones are forgotten.
     */
    public void reconfigure(Collection<TrackProcess> configs) {
        Map<String, Tracked> before = new LinkedHashMap<>(byName);
        byName.clear();
        for (TrackProcess p : configs) {
            Tracked old = before.get(p.name());
            if (old != null && old.config.countsLike(p)) {
                old.config = p; // later delays are the new ones
                byName.putIfAbsent(p.name(), old);
            } else {
                byName.putIfAbsent(p.name(), new Tracked(p));
            }
        }
    }

    /** Whether any vrrp_track_process matches command lines (so the monitor must read them). */
    public boolean needsCmdline() {
        return byName.values().stream().anyMatch(t -> t.config.fullCommand());
    }

    /** True until every vrrp_track_process has had a snapshot. */
    public boolean awaitingSnapshot() {
        return byName.values().stream().anyMatch(t -> t.status == TrackStatus.UNKNOWN);
    }

    public TrackStatus status(String name) {
        Tracked t = byName.get(name);
        return t == null ? TrackStatus.UNKNOWN : t.status;
    }

    /** How many matching processes run now (-1 for an unknown name). */
    public int count(String name) {
        Tracked t = byName.get(name);
        return t == null ? -1 : t.pids.size();
    }

    public List<Change> onEvent(ProcessEvent e, long now) {
        if (e instanceof ProcessEvent.Snapshot s) return snapshot(s.processes(), now);
        if (e instanceof ProcessEvent.Exec x) return exec(x.pid(), x.info(), now);
        if (e instanceof ProcessEvent.Fork f) return fork(f.parentPid(), f.childPid(), now);
        if (e instanceof ProcessEvent.Exit x) return exit(x.pid(), now);
        if (e instanceof ProcessEvent.Comm c) return comm(c.pid(), c.comm(), now);
        return List.of();
    }

    /**
     * Every process now. A vrrp_track_process without a status yet takes it from here as it is.
     * For the others only the net change of the count matters (one old process ending while a new
     * one starts, as haproxy -sf or an nginx binary upgrade do between two polls, changes nothing):
     * fewer count as exits (terminate_delay), more as forks (fork_delay) when a new process's
     * parent was counted, else as execs. So at most one change per vrrp_track_process.
     */
    public List<Change> snapshot(Map<Integer, ProcInfo> table, long now) {
        List<Change> out = new ArrayList<>();
        for (Tracked t : byName.values()) {
            Set<Integer> matching = new HashSet<>();
            table.forEach((pid, info) -> {
                if (matches(t.config, info)) matching.add(pid);
            });
            if (t.status == TrackStatus.UNKNOWN) {
                t.pids.addAll(matching);
                t.status = t.inQuorum() ? TrackStatus.UP : TrackStatus.DOWN;
                LOG.info("Tracked process {}: {} running - quorum {}", t.config.name(), t.pids.size(),
                        t.status == TrackStatus.UP ? "achieved" : "not achieved");
                out.add(new Change(t.config.name(), t.status == TrackStatus.UP));
                continue;
            }
            boolean forked = false;
            for (Integer pid : matching) {
                forked |= !t.pids.contains(pid) && t.pids.contains(table.get(pid).ppid());
            }
            int before = t.pids.size();
            t.pids.clear();
            t.pids.addAll(matching);
            int after = t.pids.size();
            if (after != before) {
                quorumCheck(t, after < before ? Cause.EXIT : forked ? Cause.FORK : Cause.EXEC, now, out);
            }
        }
        return out;
    }

    /** The process runs a new program (info null: it is gone already). */
    public List<Change> exec(int pid, ProcInfo info, long now) {
        List<Change> out = new ArrayList<>();
        for (Tracked t : byName.values()) {
            if (t.status == TrackStatus.UNKNOWN) continue;
            boolean match = info != null && matches(t.config, info);
            if (match ? t.pids.add(pid) : t.pids.remove(pid)) {
                quorumCheck(t, Cause.EXEC, now, out);
            }
        }
        return out;
    }

    /** A child runs its parent's program: it counts wherever the parent does. */
    public List<Change> fork(int parent, int child, long now) {
        List<Change> out = new ArrayList<>();
        for (Tracked t : byName.values()) {
            if (t.status != TrackStatus.UNKNOWN && t.pids.contains(parent) && t.pids.add(child)) {
                quorumCheck(t, Cause.FORK, now, out);
            }
        }
        return out;
    }

    public List<Change> exit(int pid, long now) {
        List<Change> out = new ArrayList<>();
        for (Tracked t : byName.values()) {
            if (t.status != TrackStatus.UNKNOWN && t.pids.remove(pid)) {
                quorumCheck(t, Cause.EXIT, now, out);
            }
        }
        return out;
    }

    /** A new process name: it matters only where the name (not the command line) is matched. */
    public List<Change> comm(int pid, String comm, long now) {
        List<Change> out = new ArrayList<>();
        for (Tracked t : byName.values()) {
            if (t.status == TrackStatus.UNKNOWN || t.config.fullCommand()) continue;
            boolean match = t.config.process().equals(comm);
            if (match ? t.pids.add(pid) : t.pids.remove(pid)) {
                quorumCheck(t, Cause.EXEC, now, out);
            }
        }
        return out;
    }

    /** Delays that have run out: the status is what the count says now. */
    public List<Change> expire(long now) {
        List<Change> out = new ArrayList<>();
        for (Tracked t : byName.values()) {
            if (t.timerSet && now - t.timerAt >= 0) {
                t.timerSet = false;
                set(t, t.inQuorum(), out);
            }
        }
        return out;
    }

    /** When the earliest running delay ends. */
    public OptionalLong nextDeadline() {
        OptionalLong best = OptionalLong.empty();
        for (Tracked t : byName.values()) {
            if (t.timerSet && (best.isEmpty() || t.timerAt - best.getAsLong() < 0)) {
                best = OptionalLong.of(t.timerAt);
            }
        }
        return best;
    }

    private void quorumCheck(Tracked t, Cause cause, long now, List<Change> out) {
        boolean want = t.inQuorum();
        boolean up = t.status == TrackStatus.UP;
        if (t.timerSet) {
            if (want == up) {
                t.timerSet = false; // back where it was before the delay ran out: nothing happened
            }
            return;
        }
        if (want == up) return;
        long delay = switch (cause) {
            case FORK -> t.config.forkDelay().toNanos();
            case EXIT -> t.config.terminateDelay().toNanos();
            case EXEC -> 0;
        };
        if (delay > 0) {
            t.timerSet = true;
            t.timerAt = now + delay;
            return;
        }
        set(t, want, out);
    }

    private static void set(Tracked t, boolean up, List<Change> out) {
        TrackStatus s = up ? TrackStatus.UP : TrackStatus.DOWN;
        if (s == t.status) return;
        t.status = s;
        LOG.info("Quorum {} for tracked process {} ({} running)", up ? "gained" : "lost", t.config.name(), t.pids.size());
        out.add(new Change(t.config.name(), up));
    }

    /** Whether a process counts for a vrrp_track_process (see the class comment). */
    public static boolean matches(TrackProcess c, ProcInfo p) {
        if (p == null || p.zombie()) return false;
        if (!c.fullCommand()) return c.process().equals(p.comm());
        List<String> cmd = p.cmdline();
        if (cmd.isEmpty() || !c.process().equals(cmd.get(0))) return false;
        List<String> args = cmd.subList(1, cmd.size());
        List<String> want = c.params();
        switch (c.paramMatch()) {
            case NONE:
                return true;
            case EXACT:
                return args.equals(want);
            case PARTIAL:
                return args.size() >= want.size() && args.subList(0, want.size()).equals(want);
            case INITIAL: {
                if (want.isEmpty()) return true;
                int last = want.size() - 1;
                return args.size() >= want.size() && args.subList(0, last).equals(want.subList(0, last))
                        && args.get(last).startsWith(want.get(last));
            }
            default:
                return false;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ProcessTracker[");
        byName.values().forEach(t -> sb.append(t.config.name()).append('=').append(t.status).append('/')
                .append(t.pids.size()).append(' '));
        return sb.append(']').toString();
    }

    /** For tests: the counted pids of one vrrp_track_process. */
    Set<Integer> pids(String name) {
        Tracked t = byName.get(name);
        return t == null ? Set.of() : Set.copyOf(t.pids);
    }
}
