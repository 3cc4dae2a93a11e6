package org.jkeepalived.daemon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jkeepalived.core.parse.LoadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -t verdicts that keepalived 2.2.7's -t gives beyond the parser's diagnostics. */
class ConfigTestTest {
    static final String SCRIPT = "vrrp_script chk {\n script \"/bin/true\"\n}\n";

    int test(Path dir, String text, ByteArrayOutputStream out) throws Exception {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, text);
        return ConfigTest.run(f, LoadOptions.DEFAULT, new PrintStream(out, true, StandardCharsets.UTF_8), null);
    }

    @Test void aScriptRunWithoutScriptSecurityFailsAsKeepalivedsDoes(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(1, test(dir, SCRIPT, out));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("SECURITY VIOLATION - scripts are being executed"), out.toString());
        // with enable_script_security (and a user to run it), no such report
        ByteArrayOutputStream ok = new ByteArrayOutputStream();
        assertEquals(0, test(dir, "global_defs {\n enable_script_security\n script_user root\n}\n" + SCRIPT, ok), ok.toString());
        // a script file that does not exist is not run: keepalived does not report it either
        ByteArrayOutputStream missing = new ByteArrayOutputStream();
        test(dir, "vrrp_script chk {\n script \"/nonexistent/check.sh\"\n}\n", missing);
        assertFalse(missing.toString(StandardCharsets.UTF_8).contains("SECURITY VIOLATION"), missing.toString());
    }

    private String report(Path dir, String text, int expectedExit) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = test(dir, text, out);
        String o = out.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, rc, o);
        return o;
    }

    @Test void scriptsCheckedWhereKeepalivedChecksThem(@TempDir Path dir) throws Exception {
        String secure = "global_defs {\n enable_script_security\n script_user root\n}\n";
        // a bare name is looked up on PATH, as the shell does: it runs, so it counts
        assertTrue(report(dir, "vrrp_script chk {\n script \"true\"\n}\n", 1).contains("SECURITY VIOLATION"));
        // a vrrp_script that is not there: keepalived disables it, and says so
        assertTrue(report(dir, secure + "vrrp_script chk {\n script \"/nonexistent/check.sh\"\n}\n", 1)
                .contains("vrrp_script chk: /nonexistent/check.sh not found"));
        // a script_user that does not exist
        assertTrue(report(dir, "global_defs {\n enable_script_security\n script_user nosuchuser-jk\n}\n" + SCRIPT, 1)
                .contains("script_user nosuchuser-jk does not exist"));
        if (!org.jkeepalived.core.config.ScriptPolicy.userExists("keepalived_script")) {
            assertTrue(report(dir, "global_defs {\n enable_script_security\n}\n" + SCRIPT, 1)
                    .contains("no keepalived_script user"));
        }
        if (org.jkeepalived.core.config.ScriptPolicy.runningAsRoot()) {
            // run as root from a file anyone can change: refused, as keepalived disables it
            Path open = dir.resolve("open.sh");
            Files.writeString(open, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            assertTrue(report(dir, secure + "vrrp_script chk {\n script \"" + open + "\"\n}\n", 1)
                    .contains("vrrp_script chk: Unsafe permissions"));
        }
    }
}
