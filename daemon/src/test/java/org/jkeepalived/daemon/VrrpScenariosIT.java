package org.jkeepalived.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.daemon.drill.DrillLab;
import org.jkeepalived.daemon.drill.Netns;
import org.jkeepalived.daemon.drill.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two packaged daemons (-P, VRRP only) in namespaces: nopreempt on return, track_script failover (with notify_fifo), track_bfd. */
@Tag("netns")
class VrrpScenariosIT {
    @TempDir Path dir;
    private DrillLab lab;
    private final List<Process> procs = new ArrayList<>();

    @BeforeEach
    void lab() throws Exception {
        Assumptions.assumeTrue(Netns.canUse(), "needs root for network namespaces");
        lab = new DrillLab("jkv" + (ProcessHandle.current().pid() % 1000) + "-");
        lab.create();
    }

    @AfterEach
    void cleanup() {
        procs.forEach(Process::destroyForcibly);
        if (lab != null) lab.close();
    }

    private String conf(String name, int priority, String extraInstance, String extraTop) throws Exception {
        String text = extraTop + """
                vrrp_instance VI_S {
                    state BACKUP
                    interface eth0
                    virtual_router_id 66
                    priority %d
                    advert_int 1
                %s
                    virtual_ipaddress {
                        10.77.0.100/24
                    }
                }
                """.formatted(priority, extraInstance);
        Path p = dir.resolve(name + ".conf");
        Files.writeString(p, text);
        return p.toString();
    }

    private Process daemon(String host, String conf) throws Exception {
        Process p = DistLauncher.startIn(lab.ns(host), dir.resolve(host + ".log"), "-n", "-G", "-P", "-f", conf,
                "--metrics", "off", "--control-socket", dir.resolve(host + ".sock").toString(),
                "-p", dir.resolve(host + ".pid").toString());
        procs.add(p);
        return p;
    }

    private int state(String host) {
        return DistLauncher.vrrpState(dir.resolve(host + ".sock"));
    }


    @Test
    void nopreemptOnReturnKeepsTheNewMaster() throws Exception {
        String c1 = conf("dir1", 150, "    nopreempt", "");
        String c2 = conf("dir2", 100, "    nopreempt", "");
        // both are state BACKUP + nopreempt: whoever's master-down timer fires first wins, so dir1 goes first
        Process d1 = daemon("dir1", c1);
        assertTrue(Waits.until(() -> state("dir1") == 2, 15_000), "dir1 MASTER alone");
        daemon("dir2", c2);
        assertTrue(Waits.until(() -> state("dir2") == 1, 15_000), "dir2 BACKUP behind dir1");
        d1.destroyForcibly().waitFor();
        assertTrue(Waits.until(() -> state("dir2") == 2, 10_000), "dir2 took over after the crash");
        daemon("dir1", c1);
        assertTrue(Waits.until(() -> state("dir1") == 1, 15_000), "dir1 back as BACKUP");
        Thread.sleep(5000); // several Master_Down_Intervals: a preempting dir1 would have taken over by now
        assertEquals(1, state("dir1"), "nopreempt: the returning higher priority does not take over");
        assertEquals(2, state("dir2"));
    }

    @Test
    void trackScriptFailureLowersPriorityAndFailsOver() throws Exception {
        Path flag = dir.resolve("healthy");
        Files.writeString(flag, "ok");
        String script = """
                vrrp_script chk_flag {
                    script "/usr/bin/test -f %s"
                    interval 1
                    weight -60
                    fall 2
                    rise 2
                }
                """.formatted(flag);
        // dir1's notifications also go to a notify_fifo, read by its notify_fifo_script
        Path seen = dir.resolve("fifo-lines.txt");
        Path reader = dir.resolve("fifo-reader.sh");
        Files.writeString(reader, "#!/bin/sh\nwhile read -r l; do echo \"$l\" >> " + seen + "; done < \"$1\"\n");
        reader.toFile().setExecutable(true);
        String globals = "global_defs {\n    notify_fifo " + dir.resolve("dir1.fifo") + "\n    notify_fifo_script " + reader + "\n}\n";
        String c1 = conf("dir1", 150, "    track_script {\n        chk_flag\n    }", globals + script);
        daemon("dir1", c1);
        daemon("dir2", conf("dir2", 100, "", ""));
        assertTrue(Waits.until(() -> state("dir1") == 2 && state("dir2") == 1, 15_000), "dir1 MASTER while its script passes");
        Files.delete(flag);
        // fall 2 at interval 1: priority 150-60 = 90 < 100 within ~2 s, then dir2 preempts
        assertTrue(Waits.until(() -> state("dir2") == 2 && state("dir1") == 1, 10_000), "dir2 took over after the script failed");
        Files.writeString(flag, "ok");
        assertTrue(Waits.until(() -> state("dir1") == 2, 10_000), "dir1 preempts back once the script passes again");
        assertTrue(Waits.until(() -> fifoStates(seen).equals(List.of("BACKUP", "MASTER", "BACKUP", "MASTER")), 5_000),
                "notify_fifo lines: " + (Files.exists(seen) ? Files.readAllLines(seen) : "none"));
        assertTrue(Files.readAllLines(seen).get(1).matches("INSTANCE \"VI_S\" MASTER \\d+"), Files.readAllLines(seen).toString());
    }

    /** The states in the notify_fifo lines seen so far. */
    private static List<String> fifoStates(Path seen) {
        try {
            return Files.readAllLines(seen).stream().map(l -> l.split(" ")[2]).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    @Test
    void trackBfdHoldsFaultUntilThePeerSessionIsUpAndFaultsWhenThePeerDies() throws Exception {
        String bfd = """
                bfd_instance peer {
                    neighbor_ip %s
                    source_ip %s
                    min_rx 50
                    min_tx 50
                    multiplier 3
                }
                """;
        String track = "    track_bfd {\n        peer\n    }";
        String c1 = conf("dir1", 150, track, bfd.formatted("10.77.0.4", "10.77.0.3"));
        String c2 = conf("dir2", 100, "", bfd.formatted("10.77.0.3", "10.77.0.4"));
        daemon("dir1", c1);
        Thread.sleep(4000); // far beyond Master_Down_Interval (3.6 s at advert_int 1): alone it would be MASTER
        assertEquals(3, state("dir1"), "FAULT while the BFD session to dir2 is Down");
        Process d2 = daemon("dir2", c2);
        assertTrue(Waits.until(() -> state("dir1") == 2 && state("dir2") == 1, 20_000),
                "dir1 MASTER once the session is Up, dir2 BACKUP");
        d2.destroyForcibly().waitFor();
        // detection: 3 × 50 ms
        assertTrue(Waits.until(() -> state("dir1") == 3, 3_000), "dir1 FAULT when the peer's session goes Down");
    }
}
