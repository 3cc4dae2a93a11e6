package org.jkeepalived.daemon.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.ScriptPolicy;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.VrrpScript;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.Diagnostic;
import org.jkeepalived.core.parse.LoadOptions;
import org.jkeepalived.core.parse.LoadResult;

/**
 * {@code jkeepalived -t}: load the config, add the checks keepalived -t makes against this host
 * (interfaces must exist in the current network namespace), print every problem, give the verdict.
 * Like keepalived, any error or warning fails the test (exit 1); "accepted, not yet implemented"
 * notices are about us, not the config, and do not.
 */
public final class ConfigTest {
    private ConfigTest() {}

    /** Every script the config names (notify FIFOs' scripts, vrrp_scripts, notifies, quorum, MISC_CHECK). */
    static List<ScriptSpec> allScripts(KeepalivedConfig c) {
        List<ScriptSpec> all = new ArrayList<>();
        if (c.globalDefs() != null) {
            all.add(c.globalDefs().notifyFifoScript());
            all.add(c.globalDefs().vrrpNotifyFifoScript());
            all.add(c.globalDefs().lvsNotifyFifoScript());
        }
        for (VrrpScript s : c.vrrpScripts()) all.add(s.script());
        for (var i : c.vrrpInstances()) {
            all.addAll(Arrays.asList(i.notifyMaster(), i.notifyBackup(), i.notifyFault(), i.notifyStop(), i.notifyGeneric()));
        }
        for (var g : c.vrrpSyncGroups()) {
            all.addAll(Arrays.asList(g.notifyMaster(), g.notifyBackup(), g.notifyFault(), g.notifyStop(), g.notifyGeneric()));
        }
        for (var vs : c.virtualServers()) {
            all.add(vs.quorumUp());
            all.add(vs.quorumDown());
            for (var rs : vs.realServers()) {
                all.add(rs.notifyUp());
                all.add(rs.notifyDown());
                for (var ck : rs.checkers()) {
                    if (ck instanceof org.jkeepalived.core.config.Checker.MiscCheck m) all.add(m.miscPath());
                }
            }
        }
        all.removeIf(s -> s == null || s.argv().isEmpty());
        return all;
    }

    /** A script whose file exists, without enable_script_security: keepalived reports it (so -t fails). */
    static boolean securityViolation(KeepalivedConfig c) {
        if (c.globalDefs() != null && c.globalDefs().enableScriptSecurity()) return false;
        for (ScriptSpec s : allScripts(c)) {
            // a bare name counts when PATH finds it, as keepalived execs it through the shell's lookup
            Path p = ScriptPolicy.locate(s.argv().get(0));
            if (p != null && Files.isRegularFile(p)) return true;
        }
        return false;
    }

    /**
     * What keepalived 2.2.7's -t also reports about scripts (so it fails): a script_user or group
     * that does not exist; enable_script_security with no script_user when there is no
     * keepalived_script user to default to; a vrrp_script that is not there or, with
     * enable_script_security, would run as root from a file others can change (keepalived disables
     * those track scripts). Notify and MISC_CHECK scripts are only checked where keepalived checks them.
     */
    static List<String> scriptProblems(KeepalivedConfig c) {
        List<String> out = new ArrayList<>();
        GlobalDefs g = c.globalDefs();
        boolean security = g != null && g.enableScriptSecurity();
        if (g != null && g.scriptUser() != null) {
            if (!ScriptPolicy.userExists(g.scriptUser())) out.add("script_user " + g.scriptUser() + " does not exist");
            else if (g.scriptGroup() != null && !ScriptPolicy.groupExists(g.scriptGroup())) {
                out.add("script_user's group " + g.scriptGroup() + " does not exist");
            }
        }
        if (security && g.scriptUser() == null && !ScriptPolicy.userExists("keepalived_script") && hasScriptWithoutUser(c)) {
            out.add("enable_script_security without script_user, and no keepalived_script user to run scripts as");
        }
        ScriptPolicy policy = ScriptPolicy.of(g);
        for (VrrpScript vs : c.vrrpScripts()) {
            ScriptSpec s = vs.script();
            if (s != null && s.user() != null && !s.user().isEmpty() && !ScriptPolicy.userExists(s.user())) {
                out.add("vrrp_script " + vs.name() + ": user " + s.user() + " does not exist");
                continue;
            }
            String why = policy.disabledReason(s);
            if (why != null) out.add("vrrp_script " + vs.name() + ": " + why + " (keepalived disables it, as we do)");
        }
        return out;
    }

    private static boolean hasScriptWithoutUser(KeepalivedConfig c) {
        return allScripts(c).stream().anyMatch(s -> s.user() == null || s.user().isEmpty());
    }

    public static int run(Path file, LoadOptions options, PrintStream err, Path sysClassNet) {
        if (!Files.isRegularFile(file)) {
            // keepalived says nothing and exits 0 here; a CI gate must not pass on a typo.
            err.println(file + ": error: configuration file not found");
            return 1;
        }
        LoadResult result;
        if (sysClassNet != null && Files.isDirectory(sysClassNet)) {
            options = options.withInterfaceCheck(name -> !name.contains("/") && !name.startsWith(".")
                    && Files.exists(sysClassNet.resolve(name)));
        }
        try {
            result = ConfigLoader.load(file, options);
        } catch (java.io.IOException e) {
            err.println(file + ": error: cannot read: " + e.getMessage());
            return 1;
        }
        int failures = 0;
        for (Diagnostic d : result.diagnostics()) {
            err.println(d.format());
            if (d.severity() != Diagnostic.Severity.NOTICE) failures++;
        }
        if (result.config() != null && securityViolation(result.config())) {
            // keepalived 2.2.7's -t fails (exit 6) on this; the daemon, as keepalived's, runs on
            err.println(file + ": warning: SECURITY VIOLATION - scripts are being executed but script_security not enabled.");
            failures++;
        }
        if (result.config() != null) {
            for (String problem : scriptProblems(result.config())) {
                err.println(file + ": warning: " + problem);
                failures++;
            }
        }
        if (failures > 0 || result.config() == null) {
            err.println("Configuration test failed: " + failures + " problem(s) in " + file);
            return 1;
        }
        return 0;
    }

}
