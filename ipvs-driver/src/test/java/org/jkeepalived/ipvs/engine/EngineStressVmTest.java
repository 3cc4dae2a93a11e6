package org.jkeepalived.ipvs.engine;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The engine stress test at its full 10,000 concurrent connections (40,000 descriptors in one
 * JVM), inside ../shared/kernel-vm/run where root may raise RLIMIT_NOFILE past the host's hard
 * limit of 20,000. Run by ipvs-driver/kernel-vm-tests.sh.
 */
@Tag("kernel-vm")
class EngineStressVmTest {
    @Test void tenThousandConnectionsBackendsKilledNoLeakNoHalfOpen() throws Exception {
        EngineStressTest.run(true, EngineSettings.defaults());
    }
}
