package org.jkeepalived.daemon.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
        if (failures > 0 || result.config() == null) {
            err.println("Configuration test failed: " + failures + " problem(s) in " + file);
            return 1;
        }
        return 0;
    }

}
