package org.jkeepalived.daemon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void keepalivedShortAndLongFlags() throws Exception {
        Options o = Options.parse("-n", "-l", "-D", "-S", "local3", "-f", "/etc/k.conf", "-P", "-p", "/run/k.pid",
                "--vrrp_pid=/run/v.pid", "-c/run/c.pid");
        assertTrue(o.dontFork() && o.logConsole() && o.logDetail() && o.vrrpOnly());
        assertEquals("local3", o.logFacility());
        assertEquals("/etc/k.conf", o.configFile());
        assertEquals("/run/k.pid", o.pidFile());
        assertEquals("/run/v.pid", o.vrrpPidFile());
        assertEquals("/run/c.pid", o.checkersPidFile());
    }

    @Test
    void configTestWithOptionalInlineLogFile() throws Exception {
        Options o = Options.parse("-t", "-f", "a.conf");
        assertTrue(o.configTest());
        assertNull(o.configTestLog());
        assertEquals("a.conf", o.configFile());
        assertEquals("/tmp/t.log", Options.parse("--config-test=/tmp/t.log").configTestLog());
    }

    @Test
    void defaults() throws Exception {
        Options o = Options.parse();
        assertEquals(Options.DEFAULT_CONFIG, o.configFileOrDefault());
        assertEquals("127.0.0.1:9650", o.metrics());
        assertEquals("/run/jkeepalived/control.sock", o.controlSocket());
        assertEquals("auto", o.engine());
        assertEquals("yaml", o.dumpFormat());
        assertFalse(o.strict());
    }

    @Test
    void subcommandTakesTheRest() throws Exception {
        Options o = Options.parse("genhash", "-s", "127.0.0.1", "-p", "80", "-u", "/");
        assertEquals("genhash", o.command());
        assertEquals(List.of("-s", "127.0.0.1", "-p", "80", "-u", "/"), o.commandArgs());
    }

    @Test
    void badFlagsAreUsageErrors() {
        assertEquals("unknown option '--frobnicate' (see jkeepalived --help)",
                assertThrows(Options.UsageException.class, () -> Options.parse("--frobnicate")).getMessage());
        assertEquals("option '-f' needs a value",
                assertThrows(Options.UsageException.class, () -> Options.parse("-f")).getMessage());
        assertThrows(Options.UsageException.class, () -> Options.parse("--format", "xml", "-d"));
        assertThrows(Options.UsageException.class, () -> Options.parse("--engine", "dpdk"));
        assertThrows(Options.UsageException.class, () -> Options.parse("-P", "-C"));
        assertThrows(Options.UsageException.class, () -> Options.parse("--dont-fork=yes"));
    }

    @Test
    void keepalivedsDumpBundlesAndOptionalValues() throws Exception {
        // keepalived's -d logs the configuration and runs on ("-D -d -S 0" in many unit files)
        Options o = Options.parse("-D", "-d", "-S", "0");
        assertTrue(o.logConf());
        assertFalse(o.dumpConf(), "-d does not mean print-and-exit");
        assertTrue(Options.parse("--print-conf").dumpConf());
        // getopt bundles, with a value at the end of a bundle or inline in it
        Options b = Options.parse("-nlD", "-Pf", "/etc/k.conf", "-Sdaemon");
        assertTrue(b.dontFork() && b.logConsole() && b.logDetail() && b.vrrpOnly());
        assertEquals("/etc/k.conf", b.configFile());
        assertEquals("daemon", b.logFacility());
        // -g takes its file inline only, as getopt's "g::"; alone it is keepalived's default
        assertEquals("/tmp/keepalived.log", Options.parse("-g", "-n").logFile());
        assertEquals("/var/log/k.log", Options.parse("-g/var/log/k.log").logFile());
        assertEquals("/var/log/k.log", Options.parse("--log-file=/var/log/k.log").logFile());
        // keepalived options that change nothing here are accepted
        assertTrue(Options.parse("-R", "--snmp", "-X").dontFork() == false);
    }
}
