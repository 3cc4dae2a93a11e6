package org.jkeepalived.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jkeepalived.daemon.drill.Netns;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** `jkeepalived drill --rounds 1` as the README runs it; its JSON report checked against protocol bounds. */
@Tag("netns")
class DrillIT {
    @Test
    void oneRoundOfEveryFailureStaysWithinBounds() throws Exception {
        Assumptions.assumeTrue(Netns.canUse(), "needs root for network namespaces");
        Path out = Path.of("target/drill-it").toAbsolutePath();
        DistLauncher.Result r = DistLauncher.run(List.of(), "drill", "--rounds", "1", "--out", out.toString(),
                "--conf-dir", DistLauncher.repoRoot().resolve("conf-examples").toString(),
                "--prefix", "jkdi" + (ProcessHandle.current().pid() % 1000) + "-");
        assertEquals(0, r.exit(), r.out() + r.err());
        JsonNode report = new ObjectMapper().readTree(Files.readString(out.resolve("report.json")));
        assertTrue(Files.readString(out.resolve("report.html")).contains("<svg"));
        assertEquals(8, report.path("events").size(), report.toString());
        // drill configs: advert_int 1, priorities 150/100 -> Skew_Time 0.61 s, Master_Down_Interval 3.61 s;
        // HTTP_GET delay_loop 1, connect_timeout 1, retry 0
        for (JsonNode e : report.path("events")) {
            String name = e.path("event").asText();
            assertTrue(e.path("note").isNull(), name + ": " + e);
            switch (name) {
                case "crash master (SIGKILL)", "link cut" -> within(e, "takeoverMillis", 3000, 4600);
                case "graceful stop (SIGTERM)" -> within(e, "takeoverMillis", 0, 1500);
                case "real server killed" -> within(e, "checkerRemovalMillis", 0, 2600);
                default -> assertNull(e.get("unknown"));
            }
            if (name.startsWith("crash") || name.startsWith("graceful") || name.startsWith("link cut")) {
                assertEquals("dir2", e.path("newMaster").asText(), name);
                assertNotNull(e.get("outageMillis"));
            }
        }
    }

    private static void within(JsonNode e, String field, long lo, long hi) {
        long v = e.path(field).asLong(-1);
        assertTrue(v >= lo && v <= hi, e.path("event").asText() + " " + field + "=" + v + " not in [" + lo + "," + hi + "]");
    }
}
