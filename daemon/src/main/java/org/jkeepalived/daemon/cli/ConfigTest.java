package org.jkeepalived.daemon.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.TrackRef;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.Diagnostic;
import org.jkeepalived.core.parse.LoadOptions;
import org.jkeepalived.core.parse.LoadResult;
import org.jkeepalived.core.parse.SourcePos;

/**
 * {@code jkeepalived -t}: load the config, add the checks keepalived -t makes against this host
 * (interfaces must exist in the current network namespace), print every problem, give the verdict.
 * Like keepalived, any error or warning fails the test (exit 1); "accepted, not yet implemented"
 * notices are about us, not the config, and do not.
 */
public final class ConfigTest {
    private ConfigTest() {}

    public static int run(Path file, LoadOptions options, PrintStream err, Path sysClassNet) {
        if (!Files.isRegularFile(file)) {
            // keepalived says nothing and exits 0 here; a CI gate must not pass on a typo.
            err.println(file + ": error: configuration file not found");
            return 1;
        }
        LoadResult result;
        try {
            result = ConfigLoader.load(file, options);
        } catch (java.io.IOException e) {
            err.println(file + ": error: cannot read: " + e.getMessage());
            return 1;
        }
        List<Diagnostic> all = new ArrayList<>(result.diagnostics());
        if (result.config() != null) all.addAll(interfaceChecks(result.config(), file, sysClassNet));
        int failures = 0;
        for (Diagnostic d : all) {
            err.println(d.format());
            if (d.severity() != Diagnostic.Severity.NOTICE) failures++;
        }
        if (failures > 0 || result.config() == null) {
            err.println("Configuration test failed: " + failures + " problem(s) in " + file);
            return 1;
        }
        return 0;
    }

    /** Interfaces named by vrrp_instances and their track_interface must exist here, as keepalived -t checks. */
    static List<Diagnostic> interfaceChecks(KeepalivedConfig config, Path file, Path sysClassNet) {
        List<Diagnostic> out = new ArrayList<>();
        if (sysClassNet == null || !Files.isDirectory(sysClassNet)) return out;
        for (VrrpInstance vi : config.vrrpInstances()) {
            if (vi.iface() != null && !Files.exists(sysClassNet.resolve(vi.iface()))) {
                out.add(warning(file, "interface " + vi.iface() + " for vrrp_instance " + vi.name()
                        + " doesn't exist in this network namespace"));
            }
            for (TrackRef t : vi.trackInterfaces()) {
                if (!Files.exists(sysClassNet.resolve(t.name()))) {
                    out.add(warning(file, "(" + vi.name() + ") tracked interface " + t.name() + " doesn't exist"));
                }
            }
        }
        return out;
    }

    private static Diagnostic warning(Path file, String message) {
        // the model keeps no positions; name the file, line 0 means "whole file"
        return new Diagnostic(Diagnostic.Severity.WARNING, new SourcePos(file.toString(), 0, 0), message, null);
    }
}
