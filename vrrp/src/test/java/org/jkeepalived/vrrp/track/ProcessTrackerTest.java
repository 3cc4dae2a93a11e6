package org.jkeepalived.vrrp.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.config.TrackProcess;
import org.jkeepalived.core.config.TrackProcess.ParamMatch;
import org.jkeepalived.core.time.FakeClock;
import org.jkeepalived.vrrp.io.ProcInfo;
import org.jkeepalived.vrrp.track.ProcessTracker.Change;
import org.junit.jupiter.api.Test;

/** vrrp_track_process counting, quorum and delays, with a fake clock. */
class ProcessTrackerTest {
    private final FakeClock clock = new FakeClock();

    private static TrackProcess byName(String name, String process) {
        return new TrackProcess(name, process, List.of(), ParamMatch.NONE, false, 0, false, 1, null, null, null);
    }

    private static TrackProcess cmd(String process, ParamMatch m, String... params) {
        return new TrackProcess("p", process, List.of(params), m, true, 0, false, 1, null, null, null);
    }

    private static ProcInfo proc(String comm, String... cmdline) {
        return new ProcInfo(comm, List.of(cmdline), false, 1);
    }

    private static boolean matches(TrackProcess c, String... cmdline) {
        return ProcessTracker.matches(c, proc("x", cmdline));
    }

    @Test
    void theNameMatchesExactlyNotAsAPattern() {
        TrackProcess ssh = byName("p", "ssh");
        assertTrue(ProcessTracker.matches(ssh, proc("ssh", "/usr/bin/ssh", "host")));
        // pgrep ssh would take sshd; keepalived (and we) compare the whole name
        assertFalse(ProcessTracker.matches(ssh, proc("sshd", "ssh")));
        assertFalse(ProcessTracker.matches(ssh, proc("ss", "ssh")));
        // the name, not the command line, unless full_command
        assertFalse(ProcessTracker.matches(ssh, proc("bash", "ssh")));
        assertFalse(ProcessTracker.matches(ssh, new ProcInfo("ssh", List.of(), true, 1)), "zombies do not count");
    }

    @Test
    void fullCommandMatchesArgvZeroAndParametersByMode() {
        TrackProcess any = cmd("/usr/sbin/nginx", ParamMatch.NONE);
        assertTrue(matches(any, "/usr/sbin/nginx", "-g", "daemon off;"));
        assertFalse(matches(any, "nginx", "-g"), "argv[0] is compared whole");
        assertFalse(ProcessTracker.matches(any, proc("nginx")), "no command line (kernel thread, zombie)");

        TrackProcess none = cmd("worker", ParamMatch.EXACT);
        assertTrue(matches(none, "worker"), "param_match without parameters: no parameters at all");
        assertFalse(matches(none, "worker", "-v"));

        TrackProcess exact = cmd("sleep", ParamMatch.EXACT, "1000");
        assertTrue(matches(exact, "sleep", "1000"));
        assertFalse(matches(exact, "sleep", "1000", "x"));
        assertFalse(matches(exact, "sleep", "10000"));
        assertFalse(matches(exact, "sleep"));

        TrackProcess partial = cmd("java", ParamMatch.PARTIAL, "-jar", "app.jar");
        assertTrue(matches(partial, "java", "-jar", "app.jar"));
        assertTrue(matches(partial, "java", "-jar", "app.jar", "--port", "80"), "the first n parameters");
        assertFalse(matches(partial, "java", "-jar", "app.jar.old"));
        assertFalse(matches(partial, "java", "-Xmx1g", "-jar", "app.jar"));

        TrackProcess initial = cmd("java", ParamMatch.INITIAL, "-jar", "app");
        assertTrue(matches(initial, "java", "-jar", "app-1.2.jar"), "the last parameter may be longer");
        assertTrue(matches(initial, "java", "-jar", "app", "x"));
        assertFalse(matches(initial, "java", "-jarx", "app.jar"), "only the last one");
        assertFalse(matches(initial, "java", "-jar"));
        assertTrue(matches(cmd("a b", ParamMatch.EXACT, "param 2"), "a b", "param 2"), "quoted words stay whole");
    }

    private Map<Integer, ProcInfo> table(Object... pidsAndComms) {
        Map<Integer, ProcInfo> t = new HashMap<>();
        for (int i = 0; i < pidsAndComms.length; i += 2) {
            t.put((Integer) pidsAndComms[i], proc((String) pidsAndComms[i + 1]));
        }
        return t;
    }

    @Test
    void firstSnapshotSetsTheStatusAtOnce() {
        TrackProcess slow = new TrackProcess("ha", "haproxy", List.of(), ParamMatch.NONE, false, 0, false, 2, null,
                Duration.ofSeconds(5), Duration.ofSeconds(5));
        ProcessTracker t = new ProcessTracker(List.of(slow, byName("sshd", "sshd")));
        assertTrue(t.awaitingSnapshot());
        assertEquals(TrackStatus.UNKNOWN, t.status("ha"));
        // events before the first snapshot mean nothing yet
        assertEquals(List.of(), t.exec(9, proc("haproxy"), clock.nanoTime()));
        List<Change> c = t.snapshot(table(1, "haproxy", 2, "haproxy", 3, "bash"), clock.nanoTime());
        assertEquals(List.of(new Change("ha", true), new Change("sshd", false)), c, "no delay for the initial state");
        assertFalse(t.awaitingSnapshot());
        assertEquals(2, t.count("ha"));
    }

    @Test
    void quorumAndQuorumMax() {
        TrackProcess p = new TrackProcess("w", "worker", List.of(), ParamMatch.NONE, false, 0, false, 2, 3, null, null);
        ProcessTracker t = new ProcessTracker(List.of(p));
        long now = clock.nanoTime();
        assertEquals(List.of(new Change("w", false)), t.snapshot(table(1, "worker"), now));
        assertEquals(List.of(new Change("w", true)), t.exec(2, proc("worker"), now), "2 reaches quorum");
        assertEquals(List.of(), t.exec(3, proc("worker"), now), "3 within quorum_max");
        assertEquals(List.of(new Change("w", false)), t.exec(4, proc("worker"), now), "4 is above quorum_max 3");
        assertEquals(List.of(new Change("w", true)), t.exit(4, now));
        assertEquals(List.of(), t.exit(3, now));
        assertEquals(List.of(), t.exit(77, now), "an unknown pid");
        assertEquals(List.of(new Change("w", false)), t.exec(2, proc("bash"), now), "exec'd into something else");

        ProcessTracker none = new ProcessTracker(List.of(
                new TrackProcess("n", "rescue", List.of(), ParamMatch.NONE, false, 0, false, 0, 0, null, null)));
        assertEquals(List.of(new Change("n", true)), none.snapshot(table(), now), "quorum_max 0: fine while none runs");
        assertEquals(List.of(new Change("n", false)), none.exec(5, proc("rescue"), now));
    }

    @Test
    void forkDelayHoldsAQuorumGainedByAFork() {
        TrackProcess p = new TrackProcess("d", "daemon", List.of(), ParamMatch.NONE, false, 0, false, 2, null,
                Duration.ofMillis(500), Duration.ZERO);
        ProcessTracker t = new ProcessTracker(List.of(p));
        t.snapshot(table(10, "daemon"), clock.nanoTime());
        assertEquals(List.of(), t.fork(10, 11, clock.nanoTime()), "quorum after a fork waits fork_delay");
        assertEquals(clock.nanoTime() + Duration.ofMillis(500).toNanos(), t.nextDeadline().getAsLong());
        clock.advance(Duration.ofMillis(499));
        assertEquals(List.of(), t.expire(clock.nanoTime()));
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(new Change("d", true)), t.expire(clock.nanoTime()));
        assertTrue(t.nextDeadline().isEmpty());

        // the forked child exits (fork then exit, as a daemonising double fork does) before the delay: no bounce
        t.exit(11, clock.nanoTime());
        assertEquals(TrackStatus.DOWN, t.status("d"), "no terminate_delay: down at once");
        assertEquals(List.of(), t.fork(10, 12, clock.nanoTime()));
        clock.advance(Duration.ofMillis(100));
        assertEquals(List.of(), t.exit(12, clock.nanoTime()), "back below quorum: the delay is cancelled");
        assertTrue(t.nextDeadline().isEmpty());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), t.expire(clock.nanoTime()));
        assertEquals(TrackStatus.DOWN, t.status("d"));

        // a fork of a process the snapshot already holds is not counted twice
        t.fork(10, 13, clock.nanoTime());
        t.fork(10, 13, clock.nanoTime());
        assertEquals(2, t.count("d"));
        // an exec reaching the quorum applies at once (fork_delay is for forks)
        ProcessTracker e = new ProcessTracker(List.of(p));
        e.snapshot(table(10, "daemon"), clock.nanoTime());
        assertEquals(List.of(new Change("d", true)), e.exec(20, proc("daemon"), clock.nanoTime()));
    }

    @Test
    void terminateDelayRidesOutARestart() {
        TrackProcess p = new TrackProcess("ha", "haproxy", List.of(), ParamMatch.NONE, false, 0, false, 1, null,
                Duration.ZERO, Duration.ofSeconds(2));
        ProcessTracker t = new ProcessTracker(List.of(p));
        t.snapshot(table(10, "haproxy"), clock.nanoTime());
        assertEquals(List.of(), t.exit(10, clock.nanoTime()), "the loss waits terminate_delay");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), t.exec(11, proc("haproxy"), clock.nanoTime()), "restarted within the delay");
        assertTrue(t.nextDeadline().isEmpty(), "delay cancelled");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(List.of(), t.expire(clock.nanoTime()));
        assertEquals(TrackStatus.UP, t.status("ha"));

        t.exit(11, clock.nanoTime());
        clock.advance(Duration.ofMillis(1999));
        assertEquals(List.of(), t.expire(clock.nanoTime()));
        assertEquals(TrackStatus.UP, t.status("ha"));
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(new Change("ha", false)), t.expire(clock.nanoTime()));

        // a name change is not an exit: no delay
        t.exec(12, proc("haproxy"), clock.nanoTime());
        assertEquals(List.of(new Change("ha", false)), t.comm(12, "haproxy-old", clock.nanoTime()));
        assertEquals(List.of(new Change("ha", true)), t.comm(12, "haproxy", clock.nanoTime()));
    }

    @Test
    void laterSnapshotsCountAsTheEventsTheyStandFor() {
        TrackProcess p = new TrackProcess("ha", "haproxy", List.of(), ParamMatch.NONE, false, 0, false, 1, null,
                Duration.ofSeconds(1), Duration.ofSeconds(3));
        ProcessTracker t = new ProcessTracker(List.of(p));
        t.snapshot(table(10, "haproxy"), clock.nanoTime());
        // polled: the process is gone; the status waits terminate_delay as after an exit event
        assertEquals(List.of(), t.snapshot(table(), clock.nanoTime()));
        clock.advance(Duration.ofSeconds(3));
        assertEquals(List.of(new Change("ha", false)), t.expire(clock.nanoTime()));
        // a new one whose parent was not counted: an exec, at once
        assertEquals(List.of(new Change("ha", true)), t.snapshot(table(20, "haproxy"), clock.nanoTime()));
        assertEquals(java.util.Set.of(20), t.pids("ha"));
    }

    @Test
    void commChangesMatterOnlyForNameMatches() {
        ProcessTracker t = new ProcessTracker(List.of(byName("web", "Web Content"), cmd("firefox", ParamMatch.NONE)));
        t.snapshot(Map.of(5, proc("firefox", "firefox")), clock.nanoTime());
        assertEquals(1, t.count("p"));
        assertEquals(List.of(new Change("web", true)), t.comm(5, "Web Content", clock.nanoTime()));
        assertEquals(1, t.count("p"), "its command line is unchanged");
    }

    @Test
    void reconfigureKeepsUnchangedDefinitions() {
        TrackProcess a = byName("a", "alpha");
        ProcessTracker t = new ProcessTracker(List.of(a));
        t.snapshot(table(1, "alpha"), clock.nanoTime());
        t.reconfigure(List.of(a, byName("b", "beta")));
        assertEquals(TrackStatus.UP, t.status("a"));
        assertEquals(TrackStatus.UNKNOWN, t.status("b"));
        assertTrue(t.awaitingSnapshot());
        assertEquals(List.of(new Change("b", false)), t.snapshot(table(1, "alpha"), clock.nanoTime()),
                "only the new one reports");
        t.reconfigure(List.of(byName("a", "alpha2")));
        assertEquals(TrackStatus.UNKNOWN, t.status("a"), "a changed definition starts afresh");
        assertEquals(-1, t.count("b"));
    }

    @Test
    void aReplacementStartingBeforeTheOldOneEndsIsNoChange() {
        // haproxy -sf / an nginx binary upgrade: between two polls (or within one resync) the new
        // process appears and the old one exits; no delay here, so a DOWN then UP would be a real flap
        TrackProcess p = new TrackProcess("ha", "haproxy", List.of(), ParamMatch.NONE, false, 0, false, 1, null, null, null);
        ProcessTracker t = new ProcessTracker(List.of(p));
        t.snapshot(table(10, "haproxy"), clock.nanoTime());
        assertEquals(List.of(), t.snapshot(table(11, "haproxy"), clock.nanoTime()));
        assertEquals(TrackStatus.UP, t.status("ha"));
        assertEquals(java.util.Set.of(11), t.pids("ha"));
        // a net loss is one change, however many processes went
        Map<Integer, ProcInfo> two = new HashMap<>(table(11, "haproxy"));
        two.put(12, proc("haproxy"));
        t.snapshot(two, clock.nanoTime());
        assertEquals(List.of(new Change("ha", false)), t.snapshot(table(), clock.nanoTime()));
    }

    @Test
    void aNetGainPicksForkDelayWhenAParentWasCounted() {
        TrackProcess p = new TrackProcess("w", "nginx", List.of(), ParamMatch.NONE, false, 0, false, 3, null,
                Duration.ofSeconds(2), Duration.ofSeconds(5));
        ProcessTracker t = new ProcessTracker(List.of(p));
        t.snapshot(table(10, "nginx"), clock.nanoTime());
        Map<Integer, ProcInfo> more = new HashMap<>();
        more.put(10, proc("nginx"));
        more.put(11, new ProcInfo("nginx", List.of(), false, 10));
        more.put(12, new ProcInfo("nginx", List.of(), false, 10));
        assertEquals(List.of(), t.snapshot(more, clock.nanoTime()), "fork_delay, not terminate_delay nor at once");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of(new Change("w", true)), t.expire(clock.nanoTime()));
    }

    @Test
    void aReloadChangingOnlyWeightOrReverseKeepsTheCount() {
        TrackProcess a = byName("a", "alpha");
        ProcessTracker t = new ProcessTracker(List.of(a));
        t.snapshot(table(1, "alpha"), clock.nanoTime());
        t.reconfigure(List.of(new TrackProcess("a", "alpha", List.of(), ParamMatch.NONE, false, -20, true, 1, null,
                null, Duration.ofSeconds(1))));
        assertEquals(TrackStatus.UP, t.status("a"));
        assertFalse(t.awaitingSnapshot(), "no rescan needed");
        assertEquals(List.of(), t.exit(1, clock.nanoTime()), "the new terminate_delay applies");
        assertTrue(t.nextDeadline().isPresent());
    }
}
