package org.jkeepalived.vrrp.track;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.config.VrrpSyncGroup;
import org.jkeepalived.vrrp.fsm.Action;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs notify scripts for {@link Action.Notify}: the state's {@code notify_master|backup|fault|stop}
 * as configured, then the generic {@code notify} with four more arguments
 * {@code INSTANCE|GROUP name STATE priority}. As keepalived does, both are started at once and
 * waited for by nobody: a slow notify_master never delays the notify_backup of a quick MASTER →
 * BACKUP (scripts that must not overlap serialise themselves, as they must under keepalived).
 * Asynchronous through a {@link ScriptRunner} with a timeout.
 */
public final class NotifyDispatcher {
    private static final Logger log = LoggerFactory.getLogger(NotifyDispatcher.class);

    /** The notify scripts of an instance or sync group (any may be null). */
    public record Scripts(ScriptSpec master, ScriptSpec backup, ScriptSpec fault, ScriptSpec stop, ScriptSpec generic) {
        public static Scripts of(VrrpInstance vi) {
            return new Scripts(vi.notifyMaster(), vi.notifyBackup(), vi.notifyFault(), vi.notifyStop(), vi.notifyGeneric());
        }

        public static Scripts of(VrrpSyncGroup g) {
            return new Scripts(g.notifyMaster(), g.notifyBackup(), g.notifyFault(), g.notifyStop(), g.notifyGeneric());
        }

        ScriptSpec forState(VrrpState s) {
            switch (s) {
                case MASTER: return master;
                case BACKUP: return backup;
                case FAULT: return fault;
                case STOP: return stop;
                default: return null;
            }
        }
    }

    private final ScriptRunner runner;
    private final Duration timeout;
    private final Map<String, Scripts> scripts = new ConcurrentHashMap<>();

    public NotifyDispatcher(ScriptRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    public void register(Action.Target target, String name, Scripts s) {
        scripts.put(key(target, name), s);
    }

    /**
     * Starts the scripts for this notification and returns at once; the future completes when
     * they have all exited (never exceptionally).
     */
    public CompletableFuture<Void> dispatch(Action.Notify n) {
        return dispatch(n, scripts.get(key(n.target(), n.name())));
    }

    private CompletableFuture<Void> dispatch(Action.Notify n, Scripts s) {
        if (s == null) return CompletableFuture.completedFuture(null);
        List<Run> runs = new ArrayList<>();
        ScriptSpec specific = s.forState(n.state());
        if (specific != null) runs.add(new Run(specific, List.of()));
        if (s.generic() != null && n.state() != VrrpState.INIT) {
            runs.add(new Run(s.generic(), List.of(n.target().name(), n.name(), n.state().name(),
                    Integer.toString(n.priority()))));
        }
        CompletableFuture<?>[] exits = new CompletableFuture<?>[runs.size()];
        for (int k = 0; k < runs.size(); k++) {
            Run r = runs.get(k);
            exits[k] = runner.run(r.spec, r.args, timeout).handle((code, err) -> {
                if (err != null || code == null || code != 0) {
                    log.warn("({}) notify script {} {}", n.name(), r.spec.command(),
                            err != null ? err.toString() : code == ScriptRunner.TIMED_OUT ? "timed out"
                                    : "exited with status " + code);
                }
                return null;
            });
        }
        return CompletableFuture.allOf(exits);
    }

    /** Only the generic notify (an instance a reload deleted: keepalived runs no state script for it). */
    public CompletableFuture<Void> dispatchGeneric(Action.Notify n) {
        Scripts s = scripts.get(key(n.target(), n.name()));
        if (s == null || s.generic() == null) return CompletableFuture.completedFuture(null);
        return dispatch(n, new Scripts(null, null, null, null, s.generic()));
    }

    private static String key(Action.Target t, String name) {
        return t.name() + ":" + name;
    }

    private record Run(ScriptSpec spec, List<String> args) {}
}
