package org.jkeepalived.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jkeepalived.daemon.drill.Netns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged command as a user runs it: flags, exit codes, -t verdicts and messages. */
class CliProcessIT {
    static final String NS = "jkcli" + ProcessHandle.current().pid();
    static boolean netns;

    @BeforeAll
    static void namespaceWithInterfaces() throws Exception {
        netns = Netns.canUse();
        if (!netns) return;
        // keepalived -t checks interfaces exist in the current namespace: give the examples eth0/eth1
        Netns.run("ip", "netns", "add", NS);
        Netns.run("ip", "-n", NS, "link", "add", "eth0", "type", "veth", "peer", "name", "p0");
        Netns.run("ip", "-n", NS, "link", "add", "eth1", "type", "veth", "peer", "name", "p1");
    }

    @AfterAll
    static void cleanup() {
        if (netns) Netns.quiet("ip", "netns", "del", NS);
    }

    static DistLauncher.Result jk(String... args) throws Exception {
        return DistLauncher.run(List.of(), args);
    }

    @Test
    void versionHelpSignumAndUnknownFlags() throws Exception {
        DistLauncher.Result v = jk("-v");
        assertEquals(0, v.exit());
        assertTrue(v.out().startsWith("jkeepalived "), v.out());
        assertEquals(0, jk("--help").exit());
        assertEquals("10", jk("--signum=DATA").out().strip());
        assertEquals("36", jk("--signum", "JSON").out().strip());
        DistLauncher.Result bad = jk("--frobnicate");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("unknown option '--frobnicate'"), bad.err());
    }

    @Test
    void everyExamplePassesTheConfigTest() throws Exception {
        Assumptions.assumeTrue(netns, "needs root for network namespaces (interfaces eth0/eth1 for the examples)");
        try (Stream<Path> s = Files.list(DistLauncher.repoRoot().resolve("conf-examples"))) {
            for (Path conf : s.filter(p -> p.toString().endsWith(".conf")).sorted().toList()) {
                DistLauncher.Result r = DistLauncher.run(List.of("ip", "netns", "exec", NS),
                        "-t", "-f", conf.toString());
                assertEquals(0, r.exit(), conf + ":\n" + r.err());
            }
        }
    }

    @Test
    void configTestPointsAtTheProblem(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, """
                vrrp_instance VI_1 {
                    interface lo
                    virtual_router_id 300
                    priority 100
                }
                """);
        DistLauncher.Result r = jk("-t", "-f", conf.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(conf + ":3:"), r.err());
        assertTrue(r.err().contains("300"), r.err());
        assertTrue(r.err().contains("virtual_router_id 300"), "offending line shown: " + r.err());

        DistLauncher.Result missing = jk("-t", "-f", dir.resolve("nope.conf").toString());
        assertEquals(1, missing.exit(), "a missing file must not pass the config test");
    }

    @Test
    void dumpConfIsJsonAndYamlThatLoadsBack(@TempDir Path dir) throws Exception {
        Path conf = DistLauncher.repoRoot().resolve("conf-examples/lvs-nat-wrr.conf");
        DistLauncher.Result json = jk("--print-conf", "--format", "json", "-f", conf.toString());
        assertEquals(0, json.exit(), json.err());
        JsonNode tree = new ObjectMapper().readTree(json.out());
        assertEquals("wrr", tree.path("virtualServers").get(0).path("lvsSched").asText());
        DistLauncher.Result yaml = jk("--print-conf", "-f", conf.toString());
        assertEquals(0, yaml.exit(), yaml.err());
        Path y = dir.resolve("dump.yaml");
        Files.writeString(y, yaml.out());
        DistLauncher.Result again = jk("--print-conf", "--format", "json", "-f", y.toString());
        assertEquals(0, again.exit(), again.err());
        assertEquals(tree, new ObjectMapper().readTree(again.out()));
    }
}
