package org.jkeepalived.core.parse;

/**
 * One problem found in a config: printed by {@code -t} as {@code file:line:col: severity: message}
 * followed by the offending line.
 */
public record Diagnostic(Severity severity, SourcePos pos, String message, String lineText) {

    public enum Severity {
        ERROR,
        /** unknown keyword (an error with --strict), deprecated keyword, value fallen back to default... */
        WARNING,
        /** accepted, not yet implemented */
        NOTICE
    }

    public String format() {
        String head = pos + ": " + severity.name().toLowerCase() + ": " + message;
        return lineText == null ? head : head + "\n    " + lineText.strip();
    }
}
