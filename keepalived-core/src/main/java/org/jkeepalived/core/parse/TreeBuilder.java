package org.jkeepalived.core.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns token lines into statements and blocks. The grammar is line based: the first word of a line is
 * a keyword and the rest its arguments; '{' opens a block for the statement before it (on the same line,
 * or on the previous line when the '{' starts a line) and '}' closes one. Both may share a line with
 * statements ("group { VI_1 VI_2 }" is a block with the single line "VI_1 VI_2").
 */
final class TreeBuilder {
    private static final int MAX_DEPTH = 64;

    private final Diags diags;
    final List<Node> root = new ArrayList<>();
    private final List<List<Node>> stack = new ArrayList<>();
    private final List<Token> opens = new ArrayList<>();
    /** The statement each open block belongs to ("vrrp_instance VI_1"), for the missing '}' message. */
    private final List<String> owners = new ArrayList<>();
    /** The last statement of the previous line when it opened no block: a '{' starting the next line belongs to it. */
    private Node pending;

    TreeBuilder(Diags diags) {
        this.diags = diags;
        stack.add(root);
        opens.add(null);
        owners.add(null);
    }

    void accept(List<Token> tokens) {
        Node cur = null;
        for (int i = 0, n = tokens.size(); i < n; i++) {
            Token t = tokens.get(i);
            if (t.is('{')) {
                Node owner = cur != null ? cur : (i == 0 ? pending : null);
                if (owner == null || owner.children != null) {
                    diags.error(t, "'{' without a keyword before it");
                    owner = new Node(t); // a detached block, so that braces stay balanced
                }
                if (stack.size() > MAX_DEPTH) {
                    diags.error(t, "blocks nested deeper than " + MAX_DEPTH);
                    owner = new Node(t);
                }
                owner.children = new ArrayList<>();
                owner.open = t;
                stack.add(owner.children);
                opens.add(t);
                owners.add(owner.kw == t ? null : owner.kw.text() + (owner.args.isEmpty() ? "" : " " + owner.args.get(0).text()));
                cur = null;
            } else if (t.is('}')) {
                if (stack.size() > 1) {
                    stack.remove(stack.size() - 1);
                    opens.remove(opens.size() - 1);
                    owners.remove(owners.size() - 1);
                } else {
                    diags.error(t, "extra '}' without an open block");
                }
                cur = null;
            } else if (cur == null) {
                cur = new Node(t);
                stack.get(stack.size() - 1).add(cur);
            } else {
                cur.args.add(t);
            }
            pending = null;
        }
        pending = cur;
    }

    List<Node> finish() {
        for (int i = opens.size() - 1; i >= 1; i--) {
            Token open = opens.get(i);
            String owner = owners.get(i);
            diags.error(open, "missing '}': the block " + (owner == null ? "" : "of '" + owner + "' ")
                    + "opened here is never closed");
        }
        return root;
    }
}
