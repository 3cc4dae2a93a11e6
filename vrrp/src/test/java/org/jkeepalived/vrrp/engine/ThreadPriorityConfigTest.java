package org.jkeepalived.vrrp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.LoadOptions;
import org.jkeepalived.vrrp.io.NetIo;
import org.junit.jupiter.api.Test;

/** What the VRRP threads are asked to run at, from global_defs. */
class ThreadPriorityConfigTest {
    private static NetIo.ThreadPriority of(String globals) {
        return VrrpEngine.threadPriority(ConfigLoader.parse("global_defs {\n" + globals + "}\n", "keepalived.conf",
                new LoadOptions(false, null, Map.of())).config().globalDefs());
    }

    @Test
    void niceMinusTenUnlessConfigured() {
        assertEquals(new NetIo.ThreadPriority(-10, 0), of(""));
        assertEquals(new NetIo.ThreadPriority(3, 0), of(" vrrp_priority 3\n"));
    }

    @Test
    void realTimePriorityAsClampedByTheParser() {
        assertEquals(new NetIo.ThreadPriority(-10, 50), of(" vrrp_rt_priority 50\n"));
        assertEquals(new NetIo.ThreadPriority(-10, 99), of(" vrrp_rt_priority 1000\n"));
    }
}
