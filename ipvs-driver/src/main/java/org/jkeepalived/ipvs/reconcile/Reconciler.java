package org.jkeepalived.ipvs.reconcile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jkeepalived.core.table.DesiredTable;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.ipvs.BatchingLvsBackend;
import org.jkeepalived.ipvs.IpvsMetrics;
import org.jkeepalived.ipvs.IpvsSemantics;
import org.jkeepalived.ipvs.LvsBackend;
import org.jkeepalived.ipvs.LvsException;
import org.jkeepalived.ipvs.LvsOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a backend hold the desired table: plans only the difference between the desired table
 * and the backend's (read once, then kept true by folding in every write the backend accepted;
 * re-read after any failure and whenever asked) and applies it. Order keeps live services serving: a service's new destinations are added and changed
 * ones edited (a weight going to 0 is an edit, never a delete) before stale ones are removed, and
 * services leave last. It owns the services of the desired table and those it created; anything
 * else in the backend is left alone. When a write fails it re-reads the backend, plans again and
 * retries once, then reports what still failed: its view never drifts from the backend's.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** Above this many ops per round, per-op lines go to debug and one summary line to info. */
    private static final int VERBOSE_OPS = 64;

    private final LvsBackend backend;
    private final IpvsMetrics metrics;
    private final Set<ServiceKey> owned = new LinkedHashSet<>();
    /** The backend's table as we last knew it to be true; null = read it before planning. */
    private Map<ServiceKey, VirtualService> view;
    /**
     * Desired services known to be in place in {@link #view}: the same object (or an equal one) in the
     * next desired table needs no comparison, so a one-server change costs one service's diff.
     */
    private final Map<ServiceKey, VirtualService> settled = new java.util.HashMap<>();
    /**
     * The services of the last pass that ended with nothing failed, in order (null otherwise). A
     * desired table built from it by {@link DesiredTable#apply} shares every untouched service
     * object, so a pass over it compares references and diffs only what changed: a one-server
     * change costs no hashing of the other thousands of entries.
     */
    private List<VirtualService> lastClean;

    public Reconciler(LvsBackend backend) {
        this(backend, null);
    }

    /** {@code metrics} may be null. */
    public Reconciler(LvsBackend backend, IpvsMetrics metrics) {
        this.backend = backend;
        this.metrics = metrics;
    }

    public LvsBackend backend() { return backend; }

    /** Services this reconciler considers its own (desired now, or created by it and not yet removed). */
    public synchronized Set<ServiceKey> ownedServices() { return Set.copyOf(owned); }

    /** At start-up: lvs_flush empties the whole table first. */
    public synchronized void start(boolean lvsFlush) throws LvsException {
        if (lvsFlush) {
            log.info("Flushing LVS table (lvs_flush)");
            backend.flush();
        }
        invalidate();
    }

    /**
     * One pass against the last known table (read from the backend on the first pass, after a
     * failure, after start/stop, or when {@code reread} asks): plan, apply, and on any failure
     * re-read, re-plan and retry once. Call {@code reconcile(desired, true)} now and then (the daemon
     * does on reload and periodically) to notice changes made behind our back, e.g. by ipvsadm.
     */
    public synchronized ReconcileResult reconcile(DesiredTable desired, boolean reread) {
        long t0 = System.nanoTime();
        List<VirtualService> last = lastClean;
        lastClean = null;
        List<LvsOp> applied = new ArrayList<>();
        List<ReconcileResult.Failure> failures = new ArrayList<>();
        int writes = 0;
        boolean retried = false;

        List<VirtualService> changed = reread || view == null ? null : changedSince(last, desired.services());
        if (changed == null) for (VirtualService s : desired.services()) owned.add(s.key());
        if (reread || view == null) {
            try {
                readView();
            } catch (LvsException e) {
                failures.add(new ReconcileResult.Failure(null, "reading the " + backend.name() + " table: " + e.getMessage(), e.errno()));
                return finish(desired, applied, failures, writes, false, t0);
            }
        }
        // same keys in the same order: only the changed services can need writes, and none is removed
        DesiredTable toPlan = changed == null ? desired : new DesiredTable(changed);
        Plan plan = plan(toPlan, view, changed == null ? owned : Set.of(), settled);
        List<BatchingLvsBackend.Outcome> round = apply(plan.ops());
        writes += round.size();
        List<BatchingLvsBackend.Outcome> failed = collect(round, applied);
        if (!failed.isEmpty()) {
            retried = true;
            for (BatchingLvsBackend.Outcome o : failed) log.warn("{}; re-reading the table and retrying", o.error().getMessage());
            try {
                readView();
                Plan again = plan(desired, view, owned, settled);
                List<BatchingLvsBackend.Outcome> round2 = apply(again.ops());
                writes += round2.size();
                for (BatchingLvsBackend.Outcome o : collect(round2, applied)) {
                    log.error("{}", o.error().getMessage());
                    failures.add(new ReconcileResult.Failure(o.op(), o.error().getMessage(), o.error().errno()));
                }
            } catch (LvsException e) {
                failures.add(new ReconcileResult.Failure(null, "re-reading the " + backend.name() + " table: " + e.getMessage(), e.errno()));
                for (BatchingLvsBackend.Outcome o : failed) {
                    failures.add(new ReconcileResult.Failure(o.op(), o.error().getMessage(), o.error().errno()));
                }
            }
            if (!failures.isEmpty()) view = null; // be sure next time: read again
            changed = null; // the retry planned the whole table
        }
        settle(changed == null ? desired : toPlan, changed == null, failures,
                plan.invalid().isEmpty() ? Set.of() : invalidKeys(desired));
        for (String invalid : plan.invalid()) {
            log.error("{}", invalid);
            failures.add(new ReconcileResult.Failure(null, invalid, 0));
        }
        if (failures.isEmpty() && view != null) lastClean = desired.services();
        return finish(desired, applied, failures, writes, retried, t0);
    }

    /**
     * The services of {@code now} that are not the very objects of {@code last}, or null when the
     * two do not list the same keys in the same order (then the whole table is planned).
     */
    private static List<VirtualService> changedSince(List<VirtualService> last, List<VirtualService> now) {
        if (last == null || last.size() != now.size()) return null;
        List<VirtualService> changed = new ArrayList<>();
        for (int i = 0; i < now.size(); i++) {
            VirtualService a = last.get(i);
            VirtualService b = now.get(i);
            if (a == b) continue;
            if (!a.key().equals(b.key())) return null;
            changed.add(b);
        }
        return changed;
    }

    /** {@link #reconcile(DesiredTable, boolean)} against the last known table. */
    public synchronized ReconcileResult reconcile(DesiredTable desired) {
        return reconcile(desired, false);
    }

    /** Forget the last known table: the next pass reads the backend. */
    public synchronized void invalidate() {
        view = null;
        lastClean = null;
        settled.clear();
    }

    private void readView() throws LvsException {
        settled.clear();
        lastClean = null;
        view = null;
        Map<ServiceKey, VirtualService> v = new LinkedHashMap<>();
        for (VirtualService s : backend.readTable()) v.put(s.key(), IpvsSemantics.normalize(s));
        view = v;
    }

    /**
     * After a pass: desired services without failures are now in place. {@code whole}: the pass
     * planned the whole table (else only {@code desired}'s services changed, the rest stay settled).
     */
    private void settle(DesiredTable desired, boolean whole, List<ReconcileResult.Failure> failures, Set<ServiceKey> invalid) {
        if (view == null) {
            settled.clear();
            return;
        }
        Set<ServiceKey> failed = new java.util.HashSet<>(invalid);
        for (ReconcileResult.Failure f : failures) if (f.op() != null) failed.add(f.op().service());
        if (whole) settled.clear();
        for (VirtualService s : desired.services()) {
            if (!failed.contains(s.key())) settled.put(s.key(), s); else settled.remove(s.key());
        }
    }

    private static Set<ServiceKey> invalidKeys(DesiredTable desired) {
        Set<ServiceKey> out = new java.util.HashSet<>();
        for (VirtualService s : desired.services()) {
            try {
                IpvsSemantics.serviceFlags(s);
                IpvsSemantics.netmask(s);
            } catch (IllegalArgumentException e) {
                out.add(s.key());
            }
        }
        return out;
    }

    /** Folds a successful op into the last known table. */
    private void record(LvsOp op) {
        if (view == null) return;
        ServiceKey k = op.service();
        VirtualService cur = view.get(k);
        if (op instanceof LvsOp.AddService a) {
            view.put(k, IpvsSemantics.normalize(a.definition().serviceOnly()));
            return;
        }
        if (cur == null) {
            view = null; // should not happen: the backend accepted an op on a service we did not know
            return;
        }
        if (op instanceof LvsOp.EditService e) {
            view.put(k, e.definition().withDestinations(cur.destinations()));
        } else if (op instanceof LvsOp.DeleteService) {
            view.remove(k);
        } else if (op instanceof LvsOp.AddDestination a) {
            List<Destination> ds = new ArrayList<>(cur.destinations());
            ds.add(IpvsSemantics.normalize(k, a.destination()));
            view.put(k, cur.withDestinations(ds));
        } else if (op instanceof LvsOp.EditDestination e) {
            Destination d = IpvsSemantics.normalize(k, e.destination());
            List<Destination> ds = new ArrayList<>(cur.destinations());
            ds.replaceAll(x -> x.key().equals(d.key()) ? d : x);
            view.put(k, cur.withDestinations(ds));
        } else if (op instanceof LvsOp.DeleteDestination d) {
            List<Destination> ds = new ArrayList<>(cur.destinations());
            ds.removeIf(x -> x.key().equals(d.destination()));
            view.put(k, cur.withDestinations(ds));
        }
    }

    /** At shutdown, as lvs_flush_onstop says. */
    public synchronized ReconcileResult stop(FlushOnStop mode) {
        long t0 = System.nanoTime();
        List<LvsOp> applied = new ArrayList<>();
        List<ReconcileResult.Failure> failures = new ArrayList<>();
        int writes = 0;
        try {
            if (mode == FlushOnStop.ALL) {
                log.info("Flushing LVS table (lvs_flush_onstop)");
                writes++;
                backend.flush();
                owned.clear();
            } else if (mode != FlushOnStop.KEEP) {
                List<LvsOp> ops = new ArrayList<>();
                for (VirtualService s : backend.readTable()) {
                    if (!owned.contains(s.key())) continue;
                    if (mode == FlushOnStop.REMOVE_EACH) {
                        for (Destination d : s.destinations()) ops.add(new LvsOp.DeleteDestination(s.key(), d.key()));
                    }
                    ops.add(new LvsOp.DeleteService(s.key()));
                }
                List<BatchingLvsBackend.Outcome> round = apply(ops);
                writes += round.size();
                for (BatchingLvsBackend.Outcome o : collect(round, applied)) {
                    log.error("{}", o.error().getMessage());
                    failures.add(new ReconcileResult.Failure(o.op(), o.error().getMessage(), o.error().errno()));
                }
                owned.clear();
            }
        } catch (LvsException e) {
            failures.add(new ReconcileResult.Failure(null, e.getMessage(), e.errno()));
        }
        invalidate();
        ReconcileResult r = new ReconcileResult(applied, failures, writes, false, System.nanoTime() - t0);
        if (metrics != null) metrics.recordReconcile(r);
        return r;
    }

    private ReconcileResult finish(DesiredTable desired, List<LvsOp> applied, List<ReconcileResult.Failure> failures,
                                   int writes, boolean retried, long t0) {
        // a removed service stops being ours once it is gone
        Set<ServiceKey> wanted = null;
        for (LvsOp op : applied) {
            if (!(op instanceof LvsOp.DeleteService d)) continue;
            if (wanted == null) {
                wanted = new java.util.HashSet<>();
                for (VirtualService s : desired.services()) wanted.add(s.key());
            }
            if (!wanted.contains(d.service())) owned.remove(d.service());
        }
        ReconcileResult r = new ReconcileResult(applied, failures, writes, retried, System.nanoTime() - t0);
        if (applied.size() > VERBOSE_OPS || !failures.isEmpty()) {
            log.info("LVS reconcile on {}: {} change(s) applied, {} failure(s), {} write(s) in {} ms",
                    backend.name(), applied.size(), failures.size(), writes, r.elapsedNanos() / 1_000_000);
        }
        if (metrics != null) metrics.recordReconcile(r);
        return r;
    }

    /** The ops of a plan, and desired entries that cannot be expressed to IPVS at all. */
    public record Plan(List<LvsOp> ops, List<String> invalid) {}

    /**
     * Pure: the writes that turn {@code actual} into {@code desired}, touching only services in
     * {@code desired} or in {@code owned}.
     */
    public static Plan plan(DesiredTable desired, List<VirtualService> actual, Set<ServiceKey> owned) {
        Map<ServiceKey, VirtualService> act = new LinkedHashMap<>();
        for (VirtualService s : actual) act.put(s.key(), s);
        return plan(desired, act, owned, Map.of());
    }

    /** As above; services equal to their entry in {@code settled} are known to be in place and skipped. */
    static Plan plan(DesiredTable desired, Map<ServiceKey, VirtualService> act, Set<ServiceKey> owned,
                     Map<ServiceKey, VirtualService> settled) {
        List<LvsOp> ops = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        Set<ServiceKey> wanted = new java.util.HashSet<>();
        for (VirtualService raw : desired.services()) {
            wanted.add(raw.key());
            VirtualService known = settled.get(raw.key());
            if (known != null && (known == raw || known.equals(raw)) && act.containsKey(raw.key())) continue;
            VirtualService s;
            try {
                s = IpvsSemantics.normalize(raw);
                IpvsSemantics.serviceFlags(s);
                IpvsSemantics.netmask(s);
            } catch (IllegalArgumentException e) {
                invalid.add("service " + IpvsSemantics.describe(raw.key()) + " not applied: " + e.getMessage());
                continue;
            }
            Map<Destination.DestinationKey, Destination> want = new LinkedHashMap<>();
            for (Destination d : s.destinations()) want.put(d.key(), d);
            VirtualService a = act.get(s.key());
            if (a == null) {
                ops.add(new LvsOp.AddService(s.serviceOnly()));
                for (Destination d : want.values()) ops.add(new LvsOp.AddDestination(s.key(), d));
                continue;
            }
            if (!IpvsSemantics.sameServiceSettings(s, a)) ops.add(new LvsOp.EditService(s.serviceOnly()));
            Map<Destination.DestinationKey, Destination> have = new LinkedHashMap<>();
            for (Destination d : a.destinations()) have.put(d.key(), IpvsSemantics.normalize(a.key(), d));
            for (Destination d : want.values()) {
                if (!have.containsKey(d.key())) ops.add(new LvsOp.AddDestination(s.key(), d));
            }
            for (Destination d : want.values()) {
                Destination h = have.get(d.key());
                if (h != null && !IpvsSemantics.sameDestinationSettings(d, h)) ops.add(new LvsOp.EditDestination(s.key(), d));
            }
            for (Destination h : have.values()) {
                if (!want.containsKey(h.key())) ops.add(new LvsOp.DeleteDestination(s.key(), h.key()));
            }
        }
        for (VirtualService a : act.values()) {
            if (!wanted.contains(a.key()) && owned.contains(a.key())) ops.add(new LvsOp.DeleteService(a.key()));
        }
        return new Plan(ops, invalid);
    }

    private List<BatchingLvsBackend.Outcome> apply(List<LvsOp> ops) {
        if (ops.isEmpty()) return List.of();
        boolean verbose = ops.size() <= VERBOSE_OPS;
        Map<ServiceKey, VirtualService> act = view == null ? Map.of() : view;
        if (verbose || log.isDebugEnabled()) {
            for (LvsOp op : ops) {
                String line = logLine(op, act);
                if (verbose) log.info("{}", line); else log.debug("{}", line);
            }
        }
        List<BatchingLvsBackend.Outcome> out;
        if (backend instanceof BatchingLvsBackend b) {
            out = b.applyBatch(ops);
        } else {
            out = new ArrayList<>(ops.size());
            for (LvsOp op : ops) {
                try {
                    op.applyTo(backend);
                    out.add(new BatchingLvsBackend.Outcome(op, null));
                } catch (LvsException e) {
                    out.add(new BatchingLvsBackend.Outcome(op, e));
                }
            }
        }
        for (BatchingLvsBackend.Outcome o : out) if (o.ok()) record(o.op());
        return out;
    }

    private static List<BatchingLvsBackend.Outcome> collect(List<BatchingLvsBackend.Outcome> round, List<LvsOp> applied) {
        List<BatchingLvsBackend.Outcome> failed = new ArrayList<>();
        for (BatchingLvsBackend.Outcome o : round) {
            if (o.ok()) applied.add(o.op()); else failed.add(o);
        }
        return failed;
    }

    /** keepalived's words for each change. */
    private static String logLine(LvsOp op, Map<ServiceKey, VirtualService> actual) {
        String vs = IpvsSemantics.vsLabel(op.service());
        if (op instanceof LvsOp.AddService) return "Adding VS " + vs;
        if (op instanceof LvsOp.EditService e) return "Updating VS " + vs + " (scheduler " + IpvsSemantics.scheduler(e.definition()) + ")";
        if (op instanceof LvsOp.DeleteService) return "Removing Virtual Server " + vs;
        if (op instanceof LvsOp.AddDestination a) {
            return "Adding service " + IpvsSemantics.rsLabel(a.destination().key()) + " to VS " + vs;
        }
        if (op instanceof LvsOp.EditDestination e) {
            VirtualService s = actual.get(op.service());
            Integer old = s == null ? null : s.destination(e.destination().key()).map(Destination::weight).orElse(null);
            String rs = IpvsSemantics.rsLabel(e.destination().key());
            if (old != null && old != e.destination().weight()) {
                return "Changing weight from " + old + " to " + e.destination().weight() + " for rs " + rs + " of VS " + vs;
            }
            return "Updating service " + rs + " in VS " + vs;
        }
        LvsOp.DeleteDestination d = (LvsOp.DeleteDestination) op;
        return "Removing service " + IpvsSemantics.rsLabel(d.destination()) + " from VS " + vs;
    }
}
