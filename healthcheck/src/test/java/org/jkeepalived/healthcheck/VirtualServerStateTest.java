package org.jkeepalived.healthcheck;

import static org.jkeepalived.healthcheck.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.core.table.DesiredTable;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.TableChange;
import org.junit.jupiter.api.Test;

/** The pure quorum / sorry server / inhibit decisions and their keepalived log lines. */
class VirtualServerStateTest {
    final List<TableChange> changes = new ArrayList<>();
    final List<String> scripts = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    DesiredTable table = DesiredTable.EMPTY;
    static final ServiceKey KEY = ServiceKey.of(L4Protocol.TCP, ip("10.0.0.1"), 80);

    final VirtualServerState.Effects fx = new VirtualServerState.Effects() {
        @Override public void change(TableChange c) {
            changes.add(c);
            table = table.apply(c);
        }

        @Override public void script(ScriptSpec s, String why) {
            scripts.add(s.command());
        }

        @Override public void log(String line) {
            logs.add(line);
        }
    };

    VirtualServerState state(VirtualServer vs, Boolean... alive) {
        VirtualServerState s = new VirtualServerState(vs, List.of(KEY), List.of(alive), fx);
        s.start();
        return s;
    }

    int weights() {
        return table.service(KEY).orElseThrow().destinations().stream().mapToInt(d -> d.weight()).sum();
    }

    @Test void hysteresisDampensQuorumChanges() {
        // quorum 5, hysteresis 1: lost below 4, regained at 6 or more
        VirtualServer vs = vs("10.0.0.1", 80, 5, 1, null, script("/q/up"), script("/q/down"), false, false,
                rs("10.0.0.2", 80, 2), rs("10.0.0.3", 80, 2), rs("10.0.0.4", 80, 2));
        VirtualServerState s = state(vs, true, true, true);
        assertTrue(s.quorumUp());
        // keepalived starts with quorum down and gains it at once (live 6 >= 5+1): quorum_up runs
        assertEquals(List.of("/q/up"), scripts);
        assertTrue(logs.contains("Gained quorum 5+1=6 <= 6 for VS [10.0.0.1]:tcp:80"), logs.toString());
        scripts.clear();
        logs.clear();
        s.update(2, false, 2); // live 4: still >= 5-1
        assertTrue(s.quorumUp());
        s.update(1, false, 2); // live 2 < 4: lost
        assertFalse(s.quorumUp());
        assertEquals(List.of("/q/down"), scripts);
        assertTrue(logs.contains("Lost quorum 5-1=4 > 2 for VS [10.0.0.1]:tcp:80"), logs.toString());
        s.update(1, true, 2); // live 4 < 6: still lost
        assertFalse(s.quorumUp());
        s.update(2, true, 2); // live 6: regained
        assertTrue(s.quorumUp());
        assertEquals(List.of("/q/down", "/q/up"), scripts);
        assertTrue(logs.contains("Gained quorum 5+1=6 <= 6 for VS [10.0.0.1]:tcp:80"), logs.toString());
        // without a sorry server, real servers stay managed individually
        assertEquals(6, weights());
    }

    @Test void sorryServerOnlyWhileQuorumLost() {
        VirtualServer vs = vs("10.0.0.1", 80, 1, 0, rs("10.0.0.9", 8080, 1), null, null, false, false,
                rs("10.0.0.2", 80, 1));
        VirtualServerState s = state(vs, true);
        assertEquals(1, table.destinationCount());
        s.update(0, false, 1);
        assertTrue(logs.contains("Adding sorry server [10.0.0.9]:tcp:8080 to VS [10.0.0.1]:tcp:80"), logs.toString());
        assertEquals(List.of(ip("10.0.0.9")), table.service(KEY).orElseThrow().destinations().stream().map(d -> d.address()).toList());
        s.update(0, true, 1);
        assertTrue(logs.contains("Removing sorry server [10.0.0.9]:tcp:8080 from VS [10.0.0.1]:tcp:80"), logs.toString());
        assertEquals(List.of(ip("10.0.0.2")), table.service(KEY).orElseThrow().destinations().stream().map(d -> d.address()).toList());
    }

    @Test void allDownAtStartLosesQuorumAtOnce() {
        VirtualServer vs = vs("10.0.0.1", 80, 1, 0, rs("10.0.0.9", 80, 1), null, script("/q/down"), false, false,
                rs("10.0.0.2", 80, 1));
        VirtualServerState s = state(vs, false);
        assertFalse(s.quorumUp());
        assertEquals(List.of("/q/down"), scripts);
        assertEquals(1, table.destinationCount());
    }

    @Test void notifyScriptsOnTransitionsOnly() {
        VirtualServer vs = vs("10.0.0.1", 80, rs("10.0.0.2", 80, 1, false, script("/n/up"), script("/n/down")));
        VirtualServerState s = state(vs, true);
        s.update(0, true, 4); // weight change only
        assertEquals(List.of(), scripts);
        s.update(0, false, 4);
        s.update(0, true, 4);
        assertEquals(List.of("/n/down", "/n/up"), scripts);
        assertTrue(logs.contains("Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.1]:tcp:80"));
        assertTrue(logs.contains("Adding service [10.0.0.2]:tcp:80 to VS [10.0.0.1]:tcp:80"));
    }

    @Test void omegaRunsDownNotifiersOnShutdown() {
        VirtualServer vs = vs("10.0.0.1", 80, 1, 0, null, null, script("/q/down"), true, false,
                rs("10.0.0.2", 80, 1, false, null, script("/n/down2")),
                rs("10.0.0.3", 80, 1, false, null, script("/n/down3")));
        VirtualServerState s = state(vs, true, false);
        s.shutdown();
        assertEquals(List.of("/n/down2", "/q/down"), scripts);
    }

    @Test void withoutOmegaShutdownRunsNothing() {
        VirtualServer vs = vs("10.0.0.1", 80, 1, 0, null, null, script("/q/down"), false, false,
                rs("10.0.0.2", 80, 1, false, null, script("/n/down2")));
        state(vs, true).shutdown();
        assertEquals(List.of(), scripts);
    }

    @Test void sorryServerInhibitKeepsItAtWeightZero() {
        VirtualServer base = vs("10.0.0.1", 80, 1, 0, rs("10.0.0.9", 80, 3), null, null, false, false, rs("10.0.0.2", 80, 1));
        VirtualServer vs = new VirtualServer(base.address(), base.port(), null, null, null, base.protocol(), "wlc",
                List.of(), false, base.lvsMethod(), null, null, null, null, base.delayLoop(), false, false, false, 1, 0,
                null, null, false, null, base.sorryServer(), true, base.realServers(), null, java.util.Map.of());
        VirtualServerState s = state(vs, true);
        var sorry = new org.jkeepalived.core.table.Destination.DestinationKey(ip("10.0.0.9"), 80);
        assertEquals(0, table.service(KEY).orElseThrow().destination(sorry).orElseThrow().weight());
        s.update(0, false, 1);
        assertEquals(3, table.service(KEY).orElseThrow().destination(sorry).orElseThrow().weight());
        assertEquals(1, table.destinationCount());
    }

    @Test void inhibitedServerDownAtStartIsInAtWeightZero() {
        VirtualServer vs = vs("10.0.0.1", 80, 1, 0, null, null, null, false, false,
                rs("10.0.0.2", 80, 4, true, null, null), rs("10.0.0.3", 80, 1));
        VirtualServerState s = state(vs, false, true);
        assertEquals(0, table.service(KEY).orElseThrow().destinations().get(0).weight());
        assertTrue(logs.contains("Disabling service [10.0.0.2]:tcp:80 from VS [10.0.0.1]:tcp:80"), logs.toString());
        s.update(0, true, 4);
        assertEquals(5, weights());
        assertTrue(logs.contains("Enabling service [10.0.0.2]:tcp:80 to VS [10.0.0.1]:tcp:80"), logs.toString());
    }

    @Test void quorumLostWithASorryServerKeepsInhibitedServersAtWeightZero() {
        // keepalived takes the real servers out for the sorry server; for inhibit_on_failure ones that
        // is a weight-0 edit, so their established connections go on
        VirtualServer vs = vs("10.0.0.1", 80, 2, 0, rs("10.0.0.9", 80, 1), null, null, false, false,
                rs("10.0.0.2", 80, 1, true, null, null), rs("10.0.0.3", 80, 1, true, null, null));
        VirtualServerState s = state(vs, true, true);
        s.update(1, false, 1);
        assertFalse(s.quorumUp());
        var d = table.service(KEY).orElseThrow();
        assertEquals(0, d.destination(new org.jkeepalived.core.table.Destination.DestinationKey(ip("10.0.0.2"), 80)).orElseThrow().weight());
        assertEquals(0, d.destination(new org.jkeepalived.core.table.Destination.DestinationKey(ip("10.0.0.3"), 80)).orElseThrow().weight());
        assertEquals(1, d.destination(new org.jkeepalived.core.table.Destination.DestinationKey(ip("10.0.0.9"), 80)).orElseThrow().weight());
        s.update(1, true, 1);
        assertTrue(s.quorumUp());
        assertEquals(2, weights());
    }

    @Test void aFirstStartShortOfQuorumWithASorryServerStartsWithQuorumDown() {
        VirtualServer vs = vs("10.0.0.1", 80, 2, 0, rs("10.0.0.9", 80, 1), script("/q/up"), script("/q/down"), false, false,
                rs("10.0.0.2", 80, 1), rs("10.0.0.3", 80, 1));
        VirtualServerState s = state(vs, true, false);
        assertFalse(s.quorumUp());
        assertEquals(List.of("/q/down"), scripts);
        assertTrue(logs.contains("Starting with quorum down 2+0=2 > 1 for VS [10.0.0.1]:tcp:80"), logs.toString());
        assertEquals(List.of(ip("10.0.0.9")), table.service(KEY).orElseThrow().destinations().stream().map(d -> d.address()).toList());
        // without a sorry server and short of quorum: nothing runs until it is gained
        scripts.clear();
        VirtualServer plain = vs("10.0.0.1", 80, 2, 0, null, script("/q/up"), script("/q/down"), false, false,
                rs("10.0.0.2", 80, 1), rs("10.0.0.3", 80, 1));
        table = org.jkeepalived.core.table.DesiredTable.EMPTY;
        VirtualServerState p = state(plain, true, false);
        assertEquals(List.of(), scripts);
        p.update(1, true, 1);
        assertEquals(List.of("/q/up"), scripts);
    }
}
