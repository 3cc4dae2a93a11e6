package org.jkeepalived.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** script_user, keepalived_script and enable_script_security, as keepalived applies them. */
class ScriptPolicyTest {
    @TempDir Path dir;

    static ScriptSpec spec(String path, String user, String group) {
        return new ScriptSpec(path, List.of(path), user, group);
    }

    @Test
    void scriptUserIsTheDefaultAndAScriptsOwnUserWins() {
        ScriptPolicy p = new ScriptPolicy("alice", "staff", false, true);
        List<String> byDefault = p.commandLine(spec("/x", null, null), List.of("arg"));
        assertTrue(byDefault.get(0).endsWith("runuser"), byDefault.toString());
        assertEquals(List.of("-u", "alice", "-g", "staff", "--", "/x", "arg"), byDefault.subList(1, byDefault.size()));
        List<String> own = p.commandLine(spec("/x", "bob", null), List.of());
        assertEquals(List.of("-u", "bob", "--", "/x"), own.subList(1, own.size()), "the script's user, without script_user's group");
        assertEquals(List.of("/x"), p.commandLine(spec("/x", "root", null), List.of()), "root: no switch");
        assertEquals(List.of("/x"), new ScriptPolicy("alice", null, false, false).commandLine(spec("/x", null, null), List.of()),
                "not root: no user switch possible");
        assertEquals(List.of("/x", "a", "b"), ScriptPolicy.plain().commandLine(new ScriptSpec("/x a b", List.of(), null, null),
                List.of()), "words split when argv is empty");
    }

    @Test
    void securityRefusesRootScriptsOthersCanChange() throws Exception {
        Assumptions.assumeTrue(ScriptPolicy.runningAsRoot(), "file ownership by root needs root");
        Path bin = Files.createDirectory(dir.resolve("bin"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path script = Files.writeString(bin.resolve("check.sh"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ScriptPolicy secure = new ScriptPolicy(null, null, true, true);
        assertEquals(List.of(script.toString()), secure.commandLine(spec(script.toString(), null, null), List.of()),
                "root-owned, not group/other writable, under /tmp (root's sticky directory): runs");
        assertEquals(List.of("sh", "-c", "true"), secure.commandLine(new ScriptSpec("sh -c true", List.of("sh", "-c", "true"),
                null, null), List.of()), "found on PATH, a system binary: runs");

        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxrwxrwx"));
        ScriptPolicy fresh = new ScriptPolicy(null, null, true, true);
        ScriptPolicy.Refused r = assertThrows(ScriptPolicy.Refused.class, () -> fresh.commandLine(spec(script.toString(), null, null), List.of()));
        assertTrue(r.first && r.getMessage().contains("writable by group or others"), r.getMessage());
        assertFalse(assertThrows(ScriptPolicy.Refused.class, () -> fresh.commandLine(spec(script.toString(), null, null), List.of())).first,
                "said once");
        List<String> asNobody = fresh.commandLine(spec(script.toString(), "nobody", null), List.of());
        assertEquals(script.toString(), asNobody.get(asNobody.size() - 1), "not run as root: not checked");
        assertEquals(List.of(script.toString()), new ScriptPolicy(null, null, false, true)
                .commandLine(spec(script.toString(), null, null), List.of()), "without enable_script_security: runs");

        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxrwxrwx"));
        r = assertThrows(ScriptPolicy.Refused.class, () -> new ScriptPolicy(null, null, true, true)
                .commandLine(spec(script.toString(), null, null), List.of()));
        assertTrue(r.getMessage().contains(bin + " is writable"), "a directory above it others can write: " + r.getMessage());
    }

    @Test
    void scriptUserFromGlobalDefs() {
        GlobalDefs g = new GlobalDefs(null, null, null, null, null, true, "alice", "staff", 2, false, null, null, null, 0,
                null, 0, null, null, false, false, false, null, null, null, null, null, null, null, null, null, false,
                false, null, java.util.Map.of());
        ScriptPolicy p = ScriptPolicy.of(g);
        if (ScriptPolicy.runningAsRoot()) {
            List<String> c = p.commandLine(spec("/x", null, null), List.of());
            assertEquals(List.of("-u", "alice", "-g", "staff", "--", "/x"), c.subList(1, c.size()));
        }
    }
}
