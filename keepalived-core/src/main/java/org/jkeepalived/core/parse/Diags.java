package org.jkeepalived.core.parse;

import java.util.ArrayList;
import java.util.List;

/** Collects diagnostics; capped so a pathological input cannot produce millions of them. */
final class Diags {
    static final int MAX = 1000;
    final List<Diagnostic> list = new ArrayList<>();
    private boolean errors;
    private int dropped;
    private boolean droppedError;

    void add(Diagnostic.Severity sev, SourcePos pos, String msg, String line) {
        if (sev == Diagnostic.Severity.ERROR) errors = true;
        if (list.size() >= MAX) {
            dropped++;
            droppedError |= sev == Diagnostic.Severity.ERROR;
            return;
        }
        list.add(new Diagnostic(sev, pos, msg, line));
    }

    void error(Token t, String msg) { add(Diagnostic.Severity.ERROR, t.pos(), msg, t.line()); }

    void warn(Token t, String msg) { add(Diagnostic.Severity.WARNING, t.pos(), msg, t.line()); }

    void notice(Token t, String msg) { add(Diagnostic.Severity.NOTICE, t.pos(), msg, t.line()); }

    boolean hasErrors() { return errors; }

    List<Diagnostic> result() {
        if (dropped > 0 && !list.isEmpty()) {
            Diagnostic last = list.get(list.size() - 1);
            List<Diagnostic> out = new ArrayList<>(list);
            out.add(new Diagnostic(droppedError ? Diagnostic.Severity.ERROR : last.severity(), last.pos(),
                    dropped + " more problems not shown", null));
            return out;
        }
        return list;
    }
}
