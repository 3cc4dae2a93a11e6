package org.jkeepalived.ipvs.reconcile;

import static org.jkeepalived.ipvs.TestTables.*;
import static org.junit.jupiter.api.Assertions.*;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.core.table.DesiredTable;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.ipvs.BatchingLvsBackend;
import org.jkeepalived.ipvs.InMemoryLvsBackend;
import org.jkeepalived.ipvs.IpvsMetrics;
import org.jkeepalived.ipvs.LvsOp;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
    final InMemoryLvsBackend backend = new InMemoryLvsBackend();
    final Reconciler r = new Reconciler(backend);

    static final ServiceKey WEB = tcp("10.0.0.1", 80);
    static final ServiceKey DNS = udp("10.0.0.2", 53);

    DesiredTable base() {
        return new DesiredTable(List.of(
                svc(WEB, "wrr", nat("10.0.1.1", 80, 2), nat("10.0.1.2", 80, 1)),
                svc(DNS, "rr", dr("10.0.2.1", 53, 1))));
    }

    static List<VirtualService> withoutOrder(List<VirtualService> t) {
        List<VirtualService> out = new ArrayList<>();
        for (VirtualService s : t) {
            List<Destination> ds = new ArrayList<>(s.destinations());
            ds.sort((a, b) -> a.key().toString().compareTo(b.key().toString()));
            out.add(s.withDestinations(ds));
        }
        out.sort((a, b) -> a.key().toString().compareTo(b.key().toString()));
        return out;
    }

    @Test
    void fromEmptyAddsServicesThenTheirDestinations() {
        ReconcileResult res = r.reconcile(base());
        assertTrue(res.ok(), res.toString());
        assertEquals(5, res.writes());
        List<LvsOp> log = backend.opLog();
        assertInstanceOf(LvsOp.AddService.class, log.get(0));
        assertInstanceOf(LvsOp.AddDestination.class, log.get(1));
        assertEquals(2, backend.readTable().size());
        assertEquals(3, backend.readTable().stream().mapToInt(s -> s.destinations().size()).sum());
    }

    @Test
    void reapplyingTheSameTableWritesNothing() {
        r.reconcile(base());
        backend.resetCounters();
        ReconcileResult again = r.reconcile(base());
        assertTrue(again.noop(), again.toString());
        assertEquals(0, backend.writeCount());
    }

    @Test
    void laterPassesPlanAgainstTheKnownTableAndRereadWhenAsked() {
        r.reconcile(base());
        assertEquals(1, backend.readCount());
        r.reconcile(base());
        assertEquals(1, backend.readCount(), "no read: the table is known");
        // someone removes a whole service behind our back: a forced re-read repairs it without any failure
        backend.preload(svc(tcp("192.0.2.9", 443), "rr"));
        VirtualService web = base().services().get(0);
        backend.preload(web.withDestinations(List.of(web.destinations().get(0))));
        ReconcileResult res = r.reconcile(base(), true);
        assertEquals(2, backend.readCount());
        assertTrue(res.ok(), res.toString());
        assertFalse(res.retried());
        assertEquals(List.of(new LvsOp.AddDestination(WEB, web.destinations().get(1))), res.applied());
    }

    @Test
    void weightChangeAndWeightZeroAreEditsNotDeletes() {
        r.reconcile(base());
        backend.resetCounters();
        DesiredTable t = base().apply(new org.jkeepalived.core.table.TableChange.UpsertDestination(WEB, nat("10.0.1.1", 80, 0), "down"));
        ReconcileResult res = r.reconcile(t);
        assertEquals(List.of(new LvsOp.EditDestination(WEB, nat("10.0.1.1", 80, 0))), res.applied());
        assertEquals(1, backend.writeCount());
        assertEquals(0, backend.readTable().get(0).destination(nat("10.0.1.1", 80, 0).key()).orElseThrow().weight());
    }

    @Test
    void replacingAServerAddsTheNewOneBeforeRemovingTheOld() {
        r.reconcile(base());
        backend.resetCounters();
        DesiredTable t = new DesiredTable(List.of(
                svc(WEB, "wrr", nat("10.0.1.1", 80, 2), nat("10.0.1.3", 80, 1)),
                svc(DNS, "rr", dr("10.0.2.1", 53, 1))));
        ReconcileResult res = r.reconcile(t);
        assertEquals(List.of(new LvsOp.AddDestination(WEB, nat("10.0.1.3", 80, 1)),
                new LvsOp.DeleteDestination(WEB, nat("10.0.1.2", 80, 1).key())), res.applied());
    }

    @Test
    void schedulerChangeEditsTheServiceOnly() {
        r.reconcile(base());
        backend.resetCounters();
        List<VirtualService> ss = new ArrayList<>(base().services());
        VirtualService web = ss.get(0);
        ss.set(0, new VirtualService(WEB, "lc", List.of(), false, 0, null, null, web.destinations()));
        ReconcileResult res = r.reconcile(new DesiredTable(ss));
        assertEquals(1, res.applied().size());
        assertInstanceOf(LvsOp.EditService.class, res.applied().get(0));
        assertEquals("lc", backend.readTable().get(0).scheduler());
        assertEquals(2, backend.readTable().get(0).destinations().size());
    }

    @Test
    void persistenceDefaultsCompareAsTheKernelHoldsThem() {
        VirtualService a = persistent(WEB, "rr", 300, null, nat("10.0.1.1", 80, 1));
        r.reconcile(new DesiredTable(List.of(a)));
        backend.resetCounters();
        // same service written with the explicit defaults and a port-0 real server meaning "the VS port"
        VirtualService b = persistent(WEB, "rr", 300, "255.255.255.255", nat("10.0.1.1", 0, 1));
        assertTrue(r.reconcile(new DesiredTable(List.of(b))).noop());
        VirtualService c = persistent(WEB, "rr", 300, "24", nat("10.0.1.1", 0, 1));
        ReconcileResult res = r.reconcile(new DesiredTable(List.of(c)));
        assertEquals(1, res.applied().size());
        assertInstanceOf(LvsOp.EditService.class, res.applied().get(0));
    }

    @Test
    void servicesItDoesNotOwnAreLeftAlone() {
        VirtualService foreign = svc(tcp("192.0.2.9", 443), "rr", nat("192.0.2.10", 443, 1));
        backend.preload(foreign);
        r.reconcile(base());
        assertTrue(backend.readTable().stream().anyMatch(s -> s.key().equals(foreign.key())));
        // a service we managed and that leaves the config is removed; the foreign one stays
        ReconcileResult res = r.reconcile(new DesiredTable(List.of(base().services().get(0))));
        assertEquals(List.of(new LvsOp.DeleteService(DNS)), res.applied());
        assertEquals(2, backend.readTable().size());
        assertFalse(r.ownedServices().contains(DNS));
    }

    @Test
    void aFailedWriteIsRetriedAfterReReadingTheTable() {
        backend.failWhen(op -> op instanceof LvsOp.AddDestination a && a.destination().port() == 80
                && a.destination().address().getHostAddress().equals("10.0.1.2"), 12, 1);
        ReconcileResult res = r.reconcile(base());
        assertTrue(res.ok(), res.toString());
        assertTrue(res.retried());
        assertEquals(6, res.writes()); // 5 + the retried one
        assertEquals(3, backend.readTable().stream().mapToInt(s -> s.destinations().size()).sum());
    }

    @Test
    void aWriteThatKeepsFailingIsReportedAndTheRestApplied() {
        backend.failWhen(op -> op instanceof LvsOp.AddDestination a && a.service().equals(DNS), 22, 2);
        ReconcileResult res = r.reconcile(base());
        assertFalse(res.ok());
        assertEquals(1, res.failures().size());
        ReconcileResult.Failure f = res.failures().get(0);
        assertEquals(22, f.errno());
        assertTrue(f.message().contains("adding destination 10.0.2.1:53 to service UDP 10.0.0.2:53"), f.message());
        assertTrue(f.message().contains("EINVAL"), f.message());
        assertEquals(4, res.applied().size());
        // the next pass sees the true table and only needs the missing destination
        backend.resetCounters();
        ReconcileResult next = r.reconcile(base());
        assertTrue(next.ok());
        assertEquals(List.of(new LvsOp.AddDestination(DNS, dr("10.0.2.1", 53, 1))), next.applied());
    }

    @Test
    void successiveChangesByApplyAreAppliedExactlyAndServicesComeAndGo() {
        DesiredTable t = new DesiredTable(org.jkeepalived.ipvs.TestTables.big(50, 4));
        assertTrue(r.reconcile(t).ok());
        VirtualService s7 = t.services().get(7);
        Destination d = s7.destinations().get(2);
        // one weight change: one edit, of that destination only
        DesiredTable t1 = t.apply(new org.jkeepalived.core.table.TableChange.UpsertDestination(s7.key(), d.withWeight(9), "w"));
        ReconcileResult res = r.reconcile(t1);
        assertEquals(List.of(new LvsOp.EditDestination(s7.key(), d.withWeight(9))), res.applied());
        // a removed destination and a removed service (the key list changes: the whole table is planned)
        DesiredTable t2 = t1.apply(new org.jkeepalived.core.table.TableChange.RemoveDestination(s7.key(), d.key(), "down"))
                .apply(new org.jkeepalived.core.table.TableChange.RemoveService(t.services().get(3).key()));
        res = r.reconcile(t2);
        assertTrue(res.ok(), res.toString());
        assertEquals(withoutOrder(t2.services()), withoutOrder(backend.readTable()));
        // and back again: the service and the destination return
        res = r.reconcile(t);
        assertTrue(res.ok(), res.toString());
        assertEquals(withoutOrder(t.services()), withoutOrder(backend.readTable()));
        assertTrue(r.reconcile(t).noop());
    }

    @Test
    void theSameTableAfterAFailedPassIsPlannedAgain() {
        backend.failWhen(op -> op instanceof LvsOp.AddDestination a && a.service().equals(DNS), 22, 2);
        DesiredTable t = base();
        assertFalse(r.reconcile(t).ok());
        // the very same objects: the missing destination must still be written
        ReconcileResult next = r.reconcile(t);
        assertTrue(next.ok(), next.toString());
        assertEquals(List.of(new LvsOp.AddDestination(DNS, dr("10.0.2.1", 53, 1))), next.applied());
    }

    @Test
    void somebodyElseChangingTheTableMidwayIsRepaired() {
        r.reconcile(base());
        // an operator deletes a destination behind our back; our edit of it then fails with ENOENT
        backend.preload(svc(WEB, "wrr", nat("10.0.1.2", 80, 1)));
        DesiredTable t = base().apply(new org.jkeepalived.core.table.TableChange.UpsertDestination(WEB, nat("10.0.1.1", 80, 5), "w"));
        ReconcileResult res = r.reconcile(t);
        assertTrue(res.ok(), res.toString());
        assertEquals(withoutOrder(t.services()), withoutOrder(backend.readTable()));
    }

    @Test
    void unknownSchedulerIsAClearFailure() {
        DesiredTable t = new DesiredTable(List.of(svc(WEB, "foo", nat("10.0.1.1", 80, 1))));
        ReconcileResult res = r.reconcile(t);
        assertFalse(res.ok());
        assertTrue(res.failures().get(0).message().contains("scheduler module 'ip_vs_foo' missing?"), res.failures().toString());
    }

    @Test
    void invalidSchedulerFlagIsReportedWithoutWriting() {
        VirtualService bad = new VirtualService(WEB, "sh", List.of("sh-bogus"), false, 0, null, null, List.of());
        ReconcileResult res = r.reconcile(new DesiredTable(List.of(bad)));
        assertEquals(0, res.writes());
        assertTrue(res.failures().get(0).message().contains("unknown scheduler flag 'sh-bogus'"));
    }

    @Test
    void lvsFlushAtStartAndStopModes() throws Exception {
        backend.preload(svc(tcp("192.0.2.9", 443), "rr"));
        r.start(true);
        assertEquals(1, backend.flushCount());
        assertTrue(backend.readTable().isEmpty());

        backend.preload(svc(tcp("192.0.2.9", 443), "rr"));
        r.reconcile(base());
        backend.resetCounters();
        ReconcileResult stop = r.stop(FlushOnStop.REMOVE_EACH);
        assertTrue(stop.ok());
        assertEquals(5, stop.writes()); // 3 destinations + 2 services, each removed
        assertEquals(1, backend.readTable().size()); // the foreign one stays

        r.reconcile(base());
        backend.resetCounters();
        assertEquals(2, r.stop(FlushOnStop.VS).writes());
        assertEquals(1, backend.readTable().size());

        r.reconcile(base());
        r.stop(FlushOnStop.ALL);
        assertTrue(backend.readTable().isEmpty());
        assertEquals(FlushOnStop.REMOVE_EACH, FlushOnStop.fromConfig(null));
        assertEquals(FlushOnStop.VS, FlushOnStop.fromConfig("VS"));
        assertEquals(FlushOnStop.ALL, FlushOnStop.fromConfig("ALL"));
    }

    @Test
    void usesTheBatchingPathWhenTheBackendHasOne() {
        List<Integer> batches = new ArrayList<>();
        InMemoryLvsBackend mem = new InMemoryLvsBackend();
        BatchingLvsBackend batching = new Batching(mem, batches);
        Reconciler rb = new Reconciler(batching, new IpvsMetrics(new SimpleMeterRegistry()));
        assertTrue(rb.reconcile(base()).ok());
        assertEquals(List.of(5), batches);
        assertTrue(rb.reconcile(base()).noop());
        assertEquals(List.of(5), batches);
    }

    /** A batching wrapper that records batch sizes. */
    static final class Batching extends InMemoryLvsBackend implements BatchingLvsBackend {
        private final InMemoryLvsBackend inner;
        private final List<Integer> sizes;

        Batching(InMemoryLvsBackend inner, List<Integer> sizes) {
            this.inner = inner;
            this.sizes = sizes;
        }

        @Override public List<VirtualService> readTable() { return inner.readTable(); }

        @Override public List<Outcome> applyBatch(List<LvsOp> ops) {
            sizes.add(ops.size());
            List<Outcome> out = new ArrayList<>();
            for (LvsOp op : ops) {
                try {
                    op.applyTo(inner);
                    out.add(new Outcome(op, null));
                } catch (org.jkeepalived.ipvs.LvsException e) {
                    out.add(new Outcome(op, e));
                }
            }
            return out;
        }
    }
}
