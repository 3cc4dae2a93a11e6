package org.jkeepalived.vrrp.track;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jkeepalived.core.config.BfdInstance;
import org.jkeepalived.core.config.TrackFile;
import org.jkeepalived.core.config.TrackProcess;
import org.jkeepalived.core.config.TrackRef;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpScript;
import org.jkeepalived.core.config.VrrpSyncGroup;

/**
 * What one vrrp_instance tracks and the last known status of each, with {@link #evaluate()} giving
 * the effective priority and FAULT flag ({@link PriorityCalculator}). Mutable, not thread-safe:
 * owned by the VRRP event loop, which feeds it link events, script results and file values and
 * passes changes of the result to the state machine (onFault / onFaultCleared / onPriorityChange).
 */
public final class TrackingState {
    private final int basePriority;
    private final List<PriorityCalculator.Tracked> items = new ArrayList<>();

    public TrackingState(int basePriority) {
        this.basePriority = basePriority;
    }

    /**
     * Everything an instance tracks: its own interface unweighted (unless dont_track_primary),
     * track_interface, track_script (weight and reverse from the reference if it gives a weight,
     * else from the vrrp_script; init_fail scripts start DOWN) and track_file (likewise from the
     * track_file block). track_bfd likewise from the bfd_instance (a session starts Down, as
     * BFD's do). Unknown names are skipped (the config checker reports them).
     */
    public static TrackingState forInstance(VrrpInstance vi, Map<String, VrrpScript> scripts, Map<String, TrackFile> files,
                                            Map<String, BfdInstance> bfds) {
        return forInstance(vi, scripts, files, bfds, Map.of());
    }

    /** ... and track_process, weight and reverse from the reference if it gives a weight, else from the vrrp_track_process. */
    public static TrackingState forInstance(VrrpInstance vi, Map<String, VrrpScript> scripts, Map<String, TrackFile> files,
                                            Map<String, BfdInstance> bfds, Map<String, TrackProcess> processes) {
        TrackingState t = new TrackingState(vi.priority());
        if (!vi.dontTrackPrimary() && vi.iface() != null) t.trackInterface(vi.iface(), 0, false);
        t.addRefs(vi.trackInterfaces(), vi.trackScripts(), vi.trackFiles(), scripts, files);
        t.addBfdRefs(vi.trackBfds(), bfds);
        for (TrackRef r : vi.trackProcesses()) {
            TrackProcess p = processes == null ? null : processes.get(r.name());
            if (p != null) t.trackProcess(r.name(), weight(r, p.weight()), reverse(r, p.weightReverse()));
        }
        return t;
    }

    public static TrackingState forInstance(VrrpInstance vi, Map<String, VrrpScript> scripts, Map<String, TrackFile> files) {
        return forInstance(vi, scripts, files, Map.of());
    }

    /** Adds a sync group's track_* (they apply to every member). */
    public TrackingState addSyncGroup(VrrpSyncGroup g, Map<String, VrrpScript> scripts, Map<String, TrackFile> files,
                                      Map<String, BfdInstance> bfds) {
        return addSyncGroup(g, scripts, files, bfds, Map.of());
    }

    /**
     * ... and the group's track_process. A process the instance tracks itself too is tracked once,
     * as keepalived does: with the group's weight, unless the instance's own entry is unweighted
     * (which stays so), and the instance's reverse.
     */
    public TrackingState addSyncGroup(VrrpSyncGroup g, Map<String, VrrpScript> scripts, Map<String, TrackFile> files,
                                      Map<String, BfdInstance> bfds, Map<String, TrackProcess> processes) {
        addRefs(g.trackInterfaces(), g.trackScripts(), g.trackFiles(), scripts, files);
        addBfdRefs(g.trackBfds(), bfds);
        for (TrackRef r : g.trackProcesses()) {
            TrackProcess p = processes == null ? null : processes.get(r.name());
            if (p == null) continue;
            int w = weight(r, p.weight());
            int at = indexOf(PriorityCalculator.Kind.PROCESS, r.name());
            if (at < 0) {
                trackProcess(r.name(), w, reverse(r, p.weightReverse()));
            } else if (items.get(at).weight() != 0) {
                PriorityCalculator.Tracked own = items.get(at);
                items.set(at, new PriorityCalculator.Tracked(own.kind(), own.name(), w, own.reverse(), own.status(), null));
            }
        }
        return this;
    }

    private int indexOf(PriorityCalculator.Kind kind, String name) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).kind() == kind && items.get(i).name().equals(name)) return i;
        }
        return -1;
    }

    private void addBfdRefs(List<TrackRef> refs, Map<String, BfdInstance> bfds) {
        for (TrackRef r : refs) {
            BfdInstance b = bfds == null ? null : bfds.get(r.name());
            if (b != null) trackBfd(r.name(), weight(r, b.weight()), reverse(r, b.weightReverse()));
        }
    }

    private void addRefs(List<TrackRef> ifs, List<TrackRef> scs, List<TrackRef> fls,
                         Map<String, VrrpScript> scripts, Map<String, TrackFile> files) {
        for (TrackRef r : ifs) trackInterface(r.name(), r.weight() == null ? 0 : r.weight(), r.reverse());
        for (TrackRef r : scs) {
            VrrpScript s = scripts == null ? null : scripts.get(r.name());
            if (s != null) trackScript(r.name(), weight(r, s.weight()), reverse(r, s.weightReverse()), s.initFail());
        }
        for (TrackRef r : fls) {
            TrackFile f = files == null ? null : files.get(r.name());
            if (f != null) trackFile(r.name(), weight(r, f.weight()), reverse(r, f.weightReverse()));
        }
    }

    /** A reference's own weight wins; without one the tracked object's weight (and its reverse) apply. */
    private static int weight(TrackRef r, int own) {
        return r.weight() != null ? r.weight() : own;
    }

    private static boolean reverse(TrackRef r, boolean ownReverse) {
        return r.weight() != null ? r.reverse() : ownReverse || r.reverse();
    }

    public TrackingState trackInterface(String name, int weight, boolean reverse) {
        items.add(new PriorityCalculator.Tracked(PriorityCalculator.Kind.INTERFACE, name, weight, reverse, TrackStatus.UNKNOWN, null));
        return this;
    }

    public TrackingState trackScript(String name, int weight, boolean reverse, boolean initFail) {
        items.add(new PriorityCalculator.Tracked(PriorityCalculator.Kind.SCRIPT, name, weight, reverse,
                initFail ? TrackStatus.DOWN : TrackStatus.UNKNOWN, null));
        return this;
    }

    public TrackingState trackFile(String name, int weight, boolean reverse) {
        items.add(new PriorityCalculator.Tracked(PriorityCalculator.Kind.FILE, name, weight, reverse, TrackStatus.UNKNOWN, null));
        return this;
    }

    public TrackingState trackBfd(String name, int weight, boolean reverse) {
        items.add(new PriorityCalculator.Tracked(PriorityCalculator.Kind.BFD, name, weight, reverse, TrackStatus.DOWN, null));
        return this;
    }

    /** A vrrp_track_process: UNKNOWN (counting neither way) until its processes have been read. */
    public TrackingState trackProcess(String name, int weight, boolean reverse) {
        items.add(new PriorityCalculator.Tracked(PriorityCalculator.Kind.PROCESS, name, weight, reverse, TrackStatus.UNKNOWN, null));
        return this;
    }

    /** A vrrp_track_process's quorum status ({@link ProcessTracker}); false if this instance does not track it. */
    public boolean setProcess(String name, TrackStatus status) {
        return set(PriorityCalculator.Kind.PROCESS, name, status, null);
    }

    /** A BFD session's state (Up or not); returns false if this instance does not track it. */
    public boolean setBfd(String name, boolean up) {
        return set(PriorityCalculator.Kind.BFD, name, up ? TrackStatus.UP : TrackStatus.DOWN, null);
    }

    /** Link state of an interface; returns false if this instance does not track it. */
    public boolean setInterface(String name, boolean up) {
        return set(PriorityCalculator.Kind.INTERFACE, name, up ? TrackStatus.UP : TrackStatus.DOWN, null);
    }

    /** A script's status after rise/fall ({@link ScriptTracker}). */
    public boolean setScript(String name, TrackStatus status) {
        return set(PriorityCalculator.Kind.SCRIPT, name, status, null);
    }

    public boolean setFile(String name, long value) {
        return set(PriorityCalculator.Kind.FILE, name, null, value);
    }

    private boolean set(PriorityCalculator.Kind kind, String name, TrackStatus s, Long value) {
        boolean found = false;
        for (int i = 0; i < items.size(); i++) {
            PriorityCalculator.Tracked t = items.get(i);
            if (t.kind() == kind && t.name().equals(name)) {
                items.set(i, kind == PriorityCalculator.Kind.FILE ? t.withFileValue(value) : t.withStatus(s));
                found = true;
            }
        }
        return found;
    }

    public PriorityCalculator.Result evaluate() {
        return PriorityCalculator.compute(basePriority, items);
    }

    public int basePriority() {
        return basePriority;
    }

    /**
     * True while an unweighted track_script (weight 0, no init_fail) has not given its first result:
     * keepalived keeps such an instance, and its sync group, out of MASTER and BACKUP (silently in
     * FAULT, no notify) until it has.
     */
    public boolean awaitingFirstScriptResult() {
        for (PriorityCalculator.Tracked t : items) {
            if (t.kind() == PriorityCalculator.Kind.SCRIPT && t.weight() == 0 && t.status() == TrackStatus.UNKNOWN) {
                return true;
            }
        }
        return false;
    }

    public Set<String> names(PriorityCalculator.Kind kind) {
        Set<String> s = new LinkedHashSet<>();
        for (PriorityCalculator.Tracked t : items) if (t.kind() == kind) s.add(t.name());
        return s;
    }

    public List<PriorityCalculator.Tracked> items() {
        return List.copyOf(items);
    }

    /**
     * A track_file's value as keepalived reads it: the leading (optionally signed) integer of the
     * text, 0 when there is none.
     */
    public static long parseFileValue(String text) {
        if (text == null) return 0;
        String s = text.strip();
        int i = 0;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && i - start < 18) i++;
        if (i == start) return 0;
        return Long.parseLong(s.substring(0, i));
    }
}
