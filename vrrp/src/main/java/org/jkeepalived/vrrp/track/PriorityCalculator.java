package org.jkeepalived.vrrp.track;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * keepalived's effective-priority rules, pure.
 * <ul>
 * <li>track_interface / track_script / track_bfd / track_process with weight 0 (unweighted): DOWN → FAULT
 *     ({@code reverse}: UP → FAULT).</li>
 * <li>weight &gt; 0: added while UP; weight &lt; 0: added (so subtracted) while DOWN;
 *     {@code reverse} negates the adjustment (man page: "the priority is decreased when up and
 *     increased when down").</li>
 * <li>track_file: weight 0 → a non-zero value is a FAULT (reverse: a zero value); otherwise
 *     value × weight (negated by reverse) is added, and a result below −253 is a FAULT.</li>
 * <li>The sum is added to the base priority and clamped to 1..254; an address owner (255) keeps
 *     255 (keepalived requires weight 0 for owners: only FAULT applies).</li>
 * <li>UNKNOWN status (script not run yet, without init_fail) counts neither way.</li>
 * </ul>
 */
public final class PriorityCalculator {
    private PriorityCalculator() {
    }

    public enum Kind { INTERFACE, SCRIPT, FILE, BFD, PROCESS }

    /**
     * One tracked object as an instance sees it. {@code status} is used for interfaces and scripts,
     * {@code fileValue} (null = not read yet) for files.
     */
    public record Tracked(Kind kind, String name, int weight, boolean reverse, TrackStatus status, Long fileValue) {
        public Tracked withStatus(TrackStatus s) {
            return new Tracked(kind, name, weight, reverse, s, fileValue);
        }

        public Tracked withFileValue(Long v) {
            return new Tracked(kind, name, weight, reverse, status, v);
        }
    }

    /** Effective priority, whether the instance must be in FAULT, and why (for the log). */
    public record Result(int effectivePriority, boolean fault, List<String> faultReasons) {
        public Result {
            faultReasons = List.copyOf(faultReasons);
        }
    }

    public static Result compute(int basePriority, Collection<Tracked> items) {
        long sum = 0;
        List<String> faults = new ArrayList<>();
        for (Tracked t : items) {
            if (t.kind() == Kind.FILE) {
                if (t.fileValue() == null) continue;
                long v = t.fileValue();
                if (t.weight() == 0) {
                    if (t.reverse() ? v == 0 : v != 0) faults.add("track_file " + t.name() + " value " + v);
                    continue;
                }
                long r = clampLong(v * (long) t.weight()) * (t.reverse() ? -1 : 1);
                if (r < -253) {
                    faults.add("track_file " + t.name() + " value " + v + " × weight " + t.weight());
                } else {
                    sum += Math.min(r, 253);
                }
                continue;
            }
            if (t.status() == TrackStatus.UNKNOWN) continue;
            boolean up = t.status() == TrackStatus.UP;
            String what = switch (t.kind()) {
                case INTERFACE -> "track_interface ";
                case BFD -> "track_bfd ";
                case PROCESS -> "track_process ";
                default -> "track_script ";
            } + t.name();
            if (t.weight() == 0) {
                if (t.reverse() ? up : !up) {
                    faults.add(what + (t.kind() == Kind.PROCESS ? (up ? " quorum achieved (reverse)" : " quorum not achieved")
                            : (up ? " up (reverse)" : " down")));
                }
                continue;
            }
            int c = t.weight() > 0 ? (up ? t.weight() : 0) : (up ? 0 : t.weight());
            sum += t.reverse() ? -c : c;
        }
        int eff;
        if (basePriority >= 255) {
            eff = 255;
        } else {
            eff = (int) Math.max(1, Math.min(254, basePriority + sum));
        }
        return new Result(eff, !faults.isEmpty(), faults);
    }

    private static long clampLong(long v) {
        // a file can hold any number: keep the product far from overflow
        return Math.max(-1_000_000_000L, Math.min(1_000_000_000L, v));
    }
}
