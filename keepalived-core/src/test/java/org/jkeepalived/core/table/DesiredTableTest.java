package org.jkeepalived.core.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.junit.jupiter.api.Test;

class DesiredTableTest {
    static Destination dest(String ip, int weight) throws Exception {
        return new Destination(InetAddress.getByName(ip), 80, LvsMethod.DR, weight, 0, 0, null);
    }

    @Test
    void foldsCheckerChangesIntoTheTable() throws Exception {
        ServiceKey key = ServiceKey.of(L4Protocol.TCP, InetAddress.getByName("10.0.0.1"), 80);
        VirtualService svc = new VirtualService(key, "rr", List.of(), false, 0, null, null, List.of());
        DesiredTable t = DesiredTable.EMPTY.apply(new TableChange.AddService(key, svc))
                .apply(new TableChange.UpsertDestination(key, dest("10.0.0.2", 1), "up"))
                .apply(new TableChange.UpsertDestination(key, dest("10.0.0.3", 1), "up"))
                .apply(new TableChange.UpsertDestination(key, dest("10.0.0.2", 0), "inhibit"))
                .apply(new TableChange.RemoveDestination(key, dest("10.0.0.3", 1).key(), "down"));
        assertEquals(List.of(dest("10.0.0.2", 0)), t.service(key).orElseThrow().destinations());
        assertEquals("TCP  10.0.0.1:80", key.toString());
        assertEquals(DesiredTable.EMPTY, t.apply(new TableChange.RemoveService(key)));
    }
}
