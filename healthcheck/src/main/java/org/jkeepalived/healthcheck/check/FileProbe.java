package org.jkeepalived.healthcheck.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.TrackFile;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Probe;

/**
 * FILE_CHECK: reads the number in the track_file's file (a missing or unreadable file reads as 0)
 * at every delay_loop. With weight 0 a non-zero value fails. Otherwise value × weight (negated with
 * reverse): with {@code dynamic} it is added to the real server's weight; without, the checker
 * fails when the real server's weight plus that value is below 1.
 */
public final class FileProbe implements Probe {
    private final Checker.FileCheck checker;
    private final Path file;
    private final int weight;
    private final boolean reverse;
    private final int configuredWeight;
    private final String label;

    public FileProbe(CheckTarget target, TrackFile trackFile) {
        this.checker = (Checker.FileCheck) target.checker();
        this.file = trackFile == null ? null : Path.of(trackFile.file());
        this.weight = checker.weight() != null ? checker.weight() : trackFile == null ? 0 : trackFile.weight();
        this.reverse = checker.weight() != null ? checker.weightReverse() : trackFile != null && trackFile.weightReverse();
        this.configuredWeight = target.realServer().weight();
        this.label = target.label();
    }

    @Override public String type() {
        return "FILE_CHECK";
    }

    static long read(Path p) {
        try {
            String s = new String(Files.readAllBytes(p), StandardCharsets.US_ASCII).trim();
            if (s.isEmpty()) return 0;
            String first = s.split("\\s+")[0];
            return Long.parseLong(first);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    @Override public CompletableFuture<CheckResult> check() {
        if (file == null) {
            return CompletableFuture.completedFuture(CheckResult.fail("config", "FILE_CHECK on " + label + ": track_file " + checker.trackFile() + " not defined."));
        }
        long v = read(file);
        String what = "FILE_CHECK " + checker.trackFile() + " on " + label;
        if (weight == 0) {
            return CompletableFuture.completedFuture(v == 0 ? CheckResult.ok(what + " success.")
                    : CheckResult.fail("file_value", what + " failed: value " + v + "."));
        }
        long delta = v * weight * (reverse ? -1 : 1);
        delta = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, delta));
        if (checker.dynamic()) {
            return CompletableFuture.completedFuture(CheckResult.ok(what + " value " + v + ", weight " + delta + ".", (int) delta));
        }
        if (configuredWeight + delta < 1) {
            return CompletableFuture.completedFuture(CheckResult.fail("file_value", what + " failed: value " + v + "."));
        }
        return CompletableFuture.completedFuture(CheckResult.ok(what + " success."));
    }
}
