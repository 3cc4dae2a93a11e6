package org.jkeepalived.core.parse;

import java.util.List;
import org.jkeepalived.core.config.KeepalivedConfig;

/** The model (null when any ERROR was found) and every problem found, in file order. */
public record LoadResult(KeepalivedConfig config, List<Diagnostic> diagnostics) {
    public LoadResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
    }

    /** keepalived -t's verdict: it fails when anything at all is reported except our notices. */
    public boolean clean() {
        return diagnostics.stream().noneMatch(d -> d.severity() != Diagnostic.Severity.NOTICE);
    }
}
