package org.jkeepalived.core.parse;

import java.util.ArrayList;
import java.util.List;

/** One statement: a keyword, its words up to the end of the line or a brace, and its block if it opened one. */
final class Node {
    final Token kw;
    final List<Token> args = new ArrayList<>(4);
    /** null when the statement opened no block. */
    List<Node> children;
    Token open;

    Node(Token kw) {
        this.kw = kw;
    }

    String keyword() { return kw.text(); }

    int argc() { return args.size(); }

    String arg(int i) { return args.get(i).text(); }

    /** The words of this statement and, flattened with braces, of its block (for option maps). */
    List<String> words() {
        List<String> w = new ArrayList<>(args.size() + 1);
        w.add(kw.text());
        for (Token t : args) w.add(t.text());
        if (children != null) {
            w.add("{");
            for (Node c : children) w.addAll(c.words());
            w.add("}");
        }
        return w;
    }

    List<String> argWords() {
        List<String> w = new ArrayList<>(args.size());
        for (Token t : args) w.add(t.text());
        return w;
    }
}
