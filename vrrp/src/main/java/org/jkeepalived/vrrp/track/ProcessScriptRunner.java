package org.jkeepalived.vrrp.track;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jkeepalived.core.config.ScriptPolicy;
import org.jkeepalived.core.config.ScriptSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ScriptRunner} on {@link ProcessBuilder}. The caller never blocks: processes are started on
 * a small executor, their exit is observed through {@link Process#onExit()}, and a scheduler kills
 * the process and its descendants (SIGKILL) when the timeout passes.
 *
 * <p>The command is exec'd from its words (no shell, as keepalived does), with stdin from
 * /dev/null and output discarded. Who runs it is the {@link ScriptPolicy}'s call (the script's user,
 * script_user, keepalived_script; enable_script_security). Futures complete on an internal thread: hop to your own
 * event loop before touching state.
 */
public final class ProcessScriptRunner implements ScriptRunner, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessScriptRunner.class);

    private final ExecutorService starter;
    private final ScheduledExecutorService killer;
    private volatile ScriptPolicy policy;

    public ProcessScriptRunner() {
        this(2, ScriptPolicy.plain());
    }

    public ProcessScriptRunner(int threads, ScriptPolicy policy) {
        this.starter = Executors.newFixedThreadPool(Math.max(1, threads), daemon("jk-script"));
        this.killer = Executors.newSingleThreadScheduledExecutor(daemon("jk-script-timeout"));
        this.policy = policy;
    }

    @Override
    public CompletableFuture<Integer> run(ScriptSpec spec, List<String> extraArgs, Duration timeout) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        List<String> cmd;
        try {
            cmd = commandLine(spec, extraArgs);
        } catch (ScriptPolicy.Refused e) {
            if (e.first) log.error("{}", e.getMessage()); // once per script: it is refused at each run
            result.complete(FAILED_TO_START);
            return result;
        } catch (IllegalArgumentException e) {
            log.warn("Cannot run script: {}", e.getMessage());
            result.complete(FAILED_TO_START);
            return result;
        }
        try {
            starter.execute(() -> start(cmd, timeout, result));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.complete(FAILED_TO_START);
        }
        return result;
    }

    /** The argv actually exec'd: the script's words, then extraArgs, as the policy says (user, security). */
    public List<String> commandLine(ScriptSpec spec, List<String> extraArgs) {
        return policy.commandLine(spec, extraArgs);
    }

    /** A reload's global_defs (script_user, enable_script_security). */
    public void policy(ScriptPolicy p) {
        this.policy = p;
    }

    private void start(List<String> cmd, Duration timeout, CompletableFuture<Integer> result) {
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot exec script {}: {}", cmd, e.getMessage());
            result.complete(FAILED_TO_START);
            return;
        }
        var kill = killer.schedule(() -> {
            // Complete first: killing the children may let the script itself exit "normally".
            if (p.isAlive() && result.complete(TIMED_OUT)) {
                log.warn("Script {} timed out after {} ms - killing it", cmd.get(0), timeout.toMillis());
                // Snapshot the children, stop the script from forking more, then kill the snapshot.
                List<ProcessHandle> children = p.descendants().toList();
                p.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
            }
        }, Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        p.onExit().whenComplete((proc, err) -> {
            kill.cancel(false);
            result.complete(err != null ? FAILED_TO_START : proc.exitValue());
        });
    }

    /**
     * Scripts already asked for are still started (a daemon stopping queues its notify_stop and
     * notify ... STOP just before), for at most two seconds; their timeouts are not enforced after
     * this: they run on by themselves, as keepalived's children outlive it.
     */
    @Override
    public void close() {
        starter.shutdown();
        try {
            if (!starter.awaitTermination(2, TimeUnit.SECONDS)) {
                log.warn("Scripts still waiting to start after 2 s at shutdown - dropped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        starter.shutdownNow();
        killer.shutdownNow();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
