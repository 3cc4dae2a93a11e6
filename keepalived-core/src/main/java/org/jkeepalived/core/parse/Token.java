package org.jkeepalived.core.parse;

/** A word of a config line after quoting, escapes and substitution; {@code line} is the source line's text. */
record Token(String text, SourcePos pos, boolean quoted, String line) {
    boolean is(char c) {
        return !quoted && text.length() == 1 && text.charAt(0) == c;
    }
}
