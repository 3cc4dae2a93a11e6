package org.jkeepalived.healthcheck;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jkeepalived.core.config.ScriptPolicy;
import org.jkeepalived.core.config.ScriptSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scripts (MISC_CHECK's misc_path, notify_up/down, quorum_up/down) without blocking an event
 * loop: the fork happens on a small executor, the exit is awaited through {@link Process#onExit()},
 * and a timer kills the process tree on timeout. Who runs it is the {@link ScriptPolicy}'s call
 * (the script's user, script_user, keepalived_script; enable_script_security).
 */
public final class ScriptRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScriptRunner.class);

    /** Exit status, or {@link #TIMED_OUT} / {@link #FAILED_TO_START}. */
    public static final int TIMED_OUT = -1;
    public static final int FAILED_TO_START = -2;

    private final ExecutorService forker;
    private final ScheduledExecutorService timer;
    private final AtomicInteger running = new AtomicInteger();

    private final ScriptPolicy policy;

    public ScriptRunner(int threads) {
        this(threads, ScriptPolicy.plain());
    }

    /** @param policy script_user / keepalived_script and enable_script_security of global_defs */
    public ScriptRunner(int threads, ScriptPolicy policy) {
        this.policy = policy;
        AtomicInteger n = new AtomicInteger();
        this.forker = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "hc-script-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hc-script-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** The command line actually executed for a script spec (user switch included), as the policy says. */
    public List<String> commandLine(ScriptSpec spec) {
        return policy.commandLine(spec, List.of());
    }

    /** Start the script; the future completes with its exit status (never exceptionally). */
    public CompletableFuture<Integer> run(ScriptSpec spec, Duration timeout) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        forker.execute(() -> {
            Process p;
            List<String> cmd;
            try {
                cmd = commandLine(spec);
            } catch (ScriptPolicy.Refused e) {
                if (e.first) log.error("{}", e.getMessage()); // once per script: it is refused at each run
                result.complete(FAILED_TO_START);
                return;
            } catch (RuntimeException e) {
                log.warn("Cannot run script {}: {}", spec.command(), e.getMessage());
                result.complete(FAILED_TO_START);
                return;
            }
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd);
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.redirectError(ProcessBuilder.Redirect.DISCARD);
                p = pb.start();
            } catch (Exception e) {
                log.warn("Failed to exec script {}: {}", spec.command(), e.getMessage());
                result.complete(FAILED_TO_START);
                return;
            }
            running.incrementAndGet();
            var kill = timeout == null || timeout.isZero() || timeout.isNegative() ? null
                    : timer.schedule(() -> {
                        if (p.isAlive() && result.complete(TIMED_OUT)) {
                            // the script first, then what it started: killing a child first would let the
                            // script run on (e.g. "sleep 5; do_something") before it dies
                            List<ProcessHandle> children = p.descendants().toList();
                            p.destroyForcibly();
                            children.forEach(ProcessHandle::destroyForcibly);
                        }
                    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            p.onExit().whenComplete((proc, err) -> {
                running.decrementAndGet();
                if (kill != null) kill.cancel(false);
                result.complete(err != null ? FAILED_TO_START : proc.exitValue());
            });
        });
        return result;
    }

    /** Scripts started and not yet exited. */
    public int running() {
        return running.get();
    }

    @Override public void close() {
        forker.shutdownNow();
        timer.shutdownNow();
    }
}
