package org.jkeepalived.core.config;

import java.time.Duration;
import java.util.List;

/**
 * vrrp_track_process NAME { process NAME [PARAMS...]; param_match [initial|partial]; weight N [reverse];
 * quorum N; quorum_max N; fork_delay / terminate_delay / delay SECS; full_command }.
 *
 * <p>keepalived 2.2.7's defaults: weight 0 (the man page says 1, but the daemon starts at 0, so an
 * instance tracking it goes to FAULT without quorum), quorum 1, no quorum_max, no delays.
 * Parameters or param_match imply full_command (matching /proc/PID/cmdline rather than the name).
 */
public record TrackProcess(
        String name,
        /** The process name (/proc/PID/comm), or argv[0] when matching the full command line. */
        String process,
        List<String> params,
        ParamMatch paramMatch,
        boolean fullCommand,
        int weight,
        boolean weightReverse,
        int quorum,
        /** null: no maximum. */
        Integer quorumMax,
        Duration forkDelay,
        Duration terminateDelay) {

    /** How the configured parameters are compared with the process's arguments (keepalived's PARAM_MATCH_*). */
    public enum ParamMatch {
        /** No parameter check: the name (or argv[0]) alone decides. */
        NONE,
        /** Exactly the configured parameters, no more, no fewer. */
        EXACT,
        /** The first n arguments equal the n configured ones; more may follow. */
        PARTIAL,
        /** As PARTIAL, but the last configured one need only begin the argument. */
        INITIAL
    }

    public TrackProcess {
        params = params == null ? List.of() : List.copyOf(params);
        if (paramMatch == null) paramMatch = ParamMatch.NONE;
        if (forkDelay == null) forkDelay = Duration.ZERO;
        if (terminateDelay == null) terminateDelay = Duration.ZERO;
    }

    /**
     * Whether {@code o} matches the same processes and makes quorum alike: a reload changing only
     * weight, reverse or the delays keeps the counts (equals would not).
     */
    public boolean countsLike(TrackProcess o) {
        return process.equals(o.process) && params.equals(o.params) && paramMatch == o.paramMatch
                && fullCommand == o.fullCommand && quorum == o.quorum && java.util.Objects.equals(quorumMax, o.quorumMax);
    }

    /** Whether {@code count} matching processes make quorum. */
    public boolean inQuorum(int count) {
        return count >= quorum && (quorumMax == null || count <= quorumMax);
    }
}
