package org.jkeepalived.ipvs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;

/**
 * A table held in memory with the kernel's rules (EEXIST on a duplicate, ESRCH for a missing
 * service, ENOENT for a missing destination or an unknown scheduler). Counts writes and can be told
 * to fail chosen operations, which is what the reconciler's tests need; also handy as a dry-run
 * backend. Thread-safe.
 */
public class InMemoryLvsBackend implements LvsBackend {
    private final Map<ServiceKey, VirtualService> table = new LinkedHashMap<>();
    private final List<LvsOp> log = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private Timeouts timeouts = new Timeouts(900, 120, 300);
    private long writes;
    private int flushes;
    private int reads;

    private record Fault(Predicate<LvsOp> when, int errno, int[] remaining) {}

    @Override public String name() { return "in-memory"; }

    /** Make the next {@code times} ops matching {@code when} fail with {@code errno}. */
    public synchronized InMemoryLvsBackend failWhen(Predicate<LvsOp> when, int errno, int times) {
        faults.add(new Fault(when, errno, new int[] {times}));
        return this;
    }

    /** Writes that reached the table (successful or not), flushes included. */
    public synchronized long writeCount() { return writes; }

    public synchronized int flushCount() { return flushes; }

    /** readTable() calls. */
    public synchronized int readCount() { return reads; }

    /** Every op attempted, in order. */
    public synchronized List<LvsOp> opLog() { return List.copyOf(log); }

    public synchronized void resetCounters() { writes = 0; flushes = 0; reads = 0; log.clear(); }

    /** Puts a service in place as if someone else (ipvsadm) had added it; not counted as a write. */
    public synchronized void preload(VirtualService s) {
        table.put(s.key(), IpvsSemantics.normalize(s));
    }

    @Override public synchronized List<VirtualService> readTable() {
        reads++;
        return List.copyOf(table.values());
    }

    @Override public void addService(VirtualService s) throws LvsException { apply(new LvsOp.AddService(s)); }
    @Override public void editService(VirtualService s) throws LvsException { apply(new LvsOp.EditService(s)); }
    @Override public void deleteService(ServiceKey k) throws LvsException { apply(new LvsOp.DeleteService(k)); }
    @Override public void addDestination(ServiceKey k, Destination d) throws LvsException { apply(new LvsOp.AddDestination(k, d)); }
    @Override public void editDestination(ServiceKey k, Destination d) throws LvsException { apply(new LvsOp.EditDestination(k, d)); }
    @Override public void deleteDestination(ServiceKey k, Destination.DestinationKey d) throws LvsException { apply(new LvsOp.DeleteDestination(k, d)); }

    @Override public synchronized void flush() {
        writes++;
        flushes++;
        table.clear();
    }

    @Override public synchronized List<ServiceStats> readStats() {
        List<ServiceStats> out = new ArrayList<>();
        for (VirtualService s : table.values()) {
            List<DestinationStats> ds = new ArrayList<>();
            for (Destination d : s.destinations()) ds.add(new DestinationStats(d.key(), 0, 0, Counters.ZERO));
            out.add(new ServiceStats(s.key(), Counters.ZERO, ds));
        }
        return out;
    }

    @Override public synchronized void setTimeouts(Timeouts t) {
        writes++;
        timeouts = new Timeouts(t.tcp() != null ? t.tcp() : timeouts.tcp(),
                t.tcpFin() != null ? t.tcpFin() : timeouts.tcpFin(),
                t.udp() != null ? t.udp() : timeouts.udp());
    }

    @Override public synchronized Timeouts readTimeouts() { return timeouts; }

    @Override public void close() {}

    private synchronized void apply(LvsOp op) throws LvsException {
        writes++;
        log.add(op);
        for (Fault f : faults) {
            if (f.remaining()[0] > 0 && f.when().test(op)) {
                f.remaining()[0]--;
                throw error(op, f.errno());
            }
        }
        ServiceKey k = op.service();
        VirtualService cur = table.get(k);
        if (op instanceof LvsOp.AddService a) {
            if (cur != null) throw error(op, 17);
            check(op, a.definition());
            table.put(k, a.definition().serviceOnly());
            return;
        }
        if (cur == null) throw error(op, 3);
        if (op instanceof LvsOp.EditService e) {
            check(op, e.definition());
            table.put(k, e.definition().withDestinations(cur.destinations()));
        } else if (op instanceof LvsOp.DeleteService) {
            table.remove(k);
        } else if (op instanceof LvsOp.AddDestination a) {
            Destination d = IpvsSemantics.normalize(k, a.destination());
            if (cur.destination(d.key()).isPresent()) throw error(op, 17);
            if (d.weight() < 0 || d.lowerThreshold() > d.upperThreshold() && d.upperThreshold() != 0) throw error(op, 34);
            List<Destination> ds = new ArrayList<>(cur.destinations());
            ds.add(d);
            table.put(k, cur.withDestinations(ds));
        } else if (op instanceof LvsOp.EditDestination e) {
            Destination d = IpvsSemantics.normalize(k, e.destination());
            if (cur.destination(d.key()).isEmpty()) throw error(op, 2);
            List<Destination> ds = new ArrayList<>(cur.destinations());
            ds.replaceAll(x -> x.key().equals(d.key()) ? d : x);
            table.put(k, cur.withDestinations(ds));
        } else if (op instanceof LvsOp.DeleteDestination dd) {
            Destination.DestinationKey dk = dd.destination();
            if (dk.port() == 0 && !k.isFwmark()) dk = new Destination.DestinationKey(dk.address(), k.port());
            final Destination.DestinationKey key = dk;
            if (cur.destination(key).isEmpty()) throw error(op, 2);
            List<Destination> ds = new ArrayList<>(cur.destinations());
            ds.removeIf(x -> x.key().equals(key));
            table.put(k, cur.withDestinations(ds));
        }
    }

    private static void check(LvsOp op, VirtualService s) throws LvsException {
        if (!IpvsSemantics.KERNEL_SCHEDULERS.contains(IpvsSemantics.scheduler(s))) throw error(op, 2);
    }

    private static LvsException error(LvsOp op, int errno) {
        return new LvsException(op.describe() + ": " + Errno.describe(errno, op), errno, null);
    }
}
