package org.jkeepalived.daemon.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillClientTest {
    /** A listener that never accepts: connects complete in the kernel, answers never come. */
    private static List<String> run(boolean overlap) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(buf, true, StandardCharsets.US_ASCII);
            DrillClient.run(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()),
                    5, 100, 300, overlap, out);
            synchronized (out) {
                return buf.toString(StandardCharsets.US_ASCII).lines().toList();
            }
        }
    }

    @Test
    void sequentialRequestsWaitForEachOther() throws Exception {
        List<String> lines = run(false);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains(" fail "), lines.get(0));
    }

    @Test
    void overlappingRequestsKeepStartingWhileOthersHang() throws Exception {
        List<String> lines = run(true);
        // a request every 5 ms for 100 ms, each hanging 300 ms: about 20 started, none waited
        assertTrue(lines.size() >= 10, lines.size() + " requests: " + lines);
        long first = Long.parseLong(lines.get(0).split(" ")[0]);
        long last = lines.stream().mapToLong(l -> Long.parseLong(l.split(" ")[0])).max().orElseThrow();
        assertTrue(last - first < 300, "all started before the first timed out: " + (last - first) + " ms");
        assertTrue(lines.stream().allMatch(l -> l.contains(" fail ")), lines.toString());
    }
}
