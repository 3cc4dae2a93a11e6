package org.jkeepalived.core.parse;

/** A place in a config file: file as given/resolved, 1-based line and column. */
public record SourcePos(String file, int line, int column) {
    @Override public String toString() {
        return file + ":" + line + ":" + column;
    }
}
