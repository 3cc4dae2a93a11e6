package org.jkeepalived.core.parse;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.jkeepalived.core.config.KeepalivedConfig;

/** Small helpers shared by the parser tests. */
final class TestSupport {
    private TestSupport() {}

    static final LoadOptions OPTS = new LoadOptions(false, "main", java.util.Map.of());

    static LoadResult parse(String text) {
        return ConfigLoader.parse(text, "/tmp/jk-test/keepalived.conf", OPTS);
    }

    /** Parses and requires no error and no warning. */
    static KeepalivedConfig ok(String text) {
        LoadResult r = parse(text);
        List<Diagnostic> bad = r.diagnostics().stream()
                .filter(d -> d.severity() != Diagnostic.Severity.NOTICE).collect(Collectors.toList());
        assertTrue(bad.isEmpty(), () -> "unexpected diagnostics:\n" + formatAll(bad));
        assertNotNull(r.config());
        return r.config();
    }

    static String formatAll(List<Diagnostic> ds) {
        return ds.stream().map(Diagnostic::format).collect(Collectors.joining("\n"));
    }

    /** The one diagnostic of this severity whose message contains {@code text}. */
    static Diagnostic find(LoadResult r, Diagnostic.Severity sev, String text) {
        return r.diagnostics().stream().filter(d -> d.severity() == sev && d.message().contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + sev + " containing '" + text + "' in:\n"
                        + formatAll(r.diagnostics())));
    }
}
