package org.jkeepalived.ipvs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.ipvs.engine.sched.DestState;
import org.junit.jupiter.api.Test;

class PersistenceTableTest {
    static final long S = 1_000_000_000L;

    static DestState dest(String a) throws Exception {
        return new DestState(new Destination.DestinationKey(InetAddress.getByName(a), 80), 1, 0, 0);
    }

    @Test void granularityMasksIpv4ByNetmaskAndIpv6ByPrefix() throws Exception {
        assertEquals(InetAddress.getByName("192.0.2.0"),
                PersistenceTable.mask(InetAddress.getByName("192.0.2.77"), "255.255.255.0"));
        assertEquals(InetAddress.getByName("192.0.2.77"),
                PersistenceTable.mask(InetAddress.getByName("192.0.2.77"), null));
        assertEquals(InetAddress.getByName("2001:db8:1:2::"),
                PersistenceTable.mask(InetAddress.getByName("2001:db8:1:2:aaaa::5"), "64"));
        assertEquals(InetAddress.getByName("2001:db8:1::"),
                PersistenceTable.mask(InetAddress.getByName("2001:db8:1:2:aaaa::5"), "/48"));
    }

    @Test void templateLivesTimeoutAfterLastUseAndIsReArmedWhileConnectionsAreOpen() throws Exception {
        PersistenceTable<DestState> t = new PersistenceTable<>();
        DestState a = dest("10.0.0.1");
        InetAddress c = InetAddress.getByName("192.0.2.0");
        PersistenceTable.Template<DestState> tp = t.attach(c, a, 0, 60 * S);
        assertSame(tp, t.lookup(c, 59 * S, 60 * S, d -> true));
        // one connection still open at the timeout: re-armed by a whole timeout
        assertSame(tp, t.lookup(c, 100 * S, 60 * S, d -> true));
        t.detach(tp);
        t.expire(119 * S, 60 * S);
        assertEquals(1, t.size(), "re-armed until 120 s");
        assertNull(t.lookup(c, 121 * S, 60 * S, d -> true));
        assertEquals(0, t.size());
    }

    @Test void invalidServerDropsTheTemplate() throws Exception {
        PersistenceTable<DestState> t = new PersistenceTable<>();
        DestState a = dest("10.0.0.1");
        InetAddress c = InetAddress.getByName("192.0.2.0");
        PersistenceTable.Template<DestState> tp = t.attach(c, a, 0, 60 * S);
        t.detach(tp);
        a.setAvailable(false);
        assertNull(t.lookup(c, 1 * S, 60 * S, DestState::available));
        assertEquals(0, t.size());
    }
}
