package org.jkeepalived.healthcheck.check;

import static org.jkeepalived.healthcheck.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.nativeio.IcmpSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** PING_CHECK over the real ICMP socket (datagram, or raw as root) to loopback. */
class PingProbeTest extends ProbeTestSupport {

    static void assumeIcmp() {
        try (IcmpSocket s = IcmpSocket.open(false)) {
            assertNotNull(s);
        } catch (Exception e) {
            Assumptions.abort("no ICMP socket for this user (ping_group_range / CAP_NET_RAW): " + e.getMessage());
        }
    }

    @Test void pingLoopback() throws Exception {
        assumeIcmp();
        CheckResult r = run(new Checker.PingCheck(common("127.0.0.1", 0, Duration.ofSeconds(2), 0,
                Duration.ofSeconds(1), Duration.ofSeconds(5), false)));
        assertTrue(r.ok(), r.message());
        // many in flight at once share the socket and all get their own reply
        var f = factory(config());
        var vs = vs("127.0.0.1", 80);
        java.util.List<java.util.concurrent.CompletableFuture<CheckResult>> all = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            Checker.PingCheck c = new Checker.PingCheck(common("127.0.0." + i, 0, Duration.ofSeconds(2), 0,
                    Duration.ofSeconds(1), Duration.ofSeconds(5), false));
            all.add(f.create(new org.jkeepalived.healthcheck.CheckTarget(vs, rs("127.0.0." + i, 0, 1, c), c)).check());
        }
        for (var x : all) assertTrue(x.get(5, java.util.concurrent.TimeUnit.SECONDS).ok());
    }

    @Test void pingLoopbackIpv6() throws Exception {
        try (IcmpSocket s = IcmpSocket.open(true)) {
            assertNotNull(s);
        } catch (Exception e) {
            Assumptions.abort("no ICMPv6 socket: " + e.getMessage());
        }
        Assumptions.assumeTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/net/if_inet6"))
                && java.nio.file.Files.readString(java.nio.file.Path.of("/proc/net/if_inet6")).contains("00000000000000000000000000000001"),
                "no ::1 on lo");
        CheckResult r = run(new Checker.PingCheck(common("::1", 0, Duration.ofSeconds(2), 0,
                Duration.ofSeconds(1), Duration.ofSeconds(5), false)));
        assertTrue(r.ok(), r.message());
    }

    @Test void checksumIsRfc1071() {
        byte[] echo = {8, 0, 0, 0, 0x12, 0x34, 0, 1};
        int sum = IcmpSocket.checksum(echo, 0, echo.length);
        echo[2] = (byte) (sum >> 8);
        echo[3] = (byte) sum;
        assertEquals(0, IcmpSocket.checksum(echo, 0, echo.length));
    }
}
