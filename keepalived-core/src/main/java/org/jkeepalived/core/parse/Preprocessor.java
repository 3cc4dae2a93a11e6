package org.jkeepalived.core.parse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * keepalived's line preprocessing: comments, include*, include_check, {@code @id} conditional lines,
 * {@code $NAME=value} definitions (also multi-line), {@code $NAME} / {@code ${NAME}} substitution,
 * {@code ~SEQ} / {@code ~LST} expansion, then quoting and escapes. Every resulting line of tokens goes
 * to the {@link TreeBuilder}.
 */
final class Preprocessor {
    static final int CHECK_READABLE = 1, CHECK_MATCH = 2, CHECK_WILDCARD = 4, CHECK_BRACE = 8, CHECK_ALL = 15;
    private static final int MAX_INCLUDE_DEPTH = 32;
    private static final int MAX_RECURSION = 24;
    private static final int MAX_SUBST_PASSES = 32;
    private static final int MAX_LINE_LENGTH = 1 << 20;
    /** Lines that ~SEQ / ~LST / multi-line definitions may generate in one load (bounds time and memory). */
    static final long MAX_GENERATED_LINES = 250_000;

    private final Diags diags;
    private final TreeBuilder tree;
    private final String configId;
    private final Map<String, String> defs = new HashMap<>();
    private final List<Path> openFiles = new ArrayList<>();
    private final Random random = new Random();
    private int includeCheck;
    private long generated;
    private boolean budgetReported;

    Preprocessor(Diags diags, TreeBuilder tree, LoadOptions opts) {
        this.diags = diags;
        this.tree = tree;
        this.configId = opts.effectiveConfigId();
        defs.putAll(opts.defines());
    }

    /** Where a line came from: file name, line number, source text, directory for includes and ${_PWD}. */
    private record Src(String file, int line, String text, Path dir) {
        SourcePos pos(int col) { return new SourcePos(file, line, Math.max(1, col)); }

        Token at(int col) { return new Token("", pos(col), false, text); }
    }

    // ------------------------------------------------------------------ files

    /** Reads the top file; only its own I/O errors escape. */
    void topFile(Path file, String display) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Path real = realPath(file);
        openFiles.add(real);
        text(new String(bytes, StandardCharsets.UTF_8), display, dirOf(file));
        openFiles.remove(openFiles.size() - 1);
    }

    void text(String text, String fileName, Path dir) {
        String pendingName = null;
        StringBuilder pendingValue = null;
        int n = text.length();
        int lineNo = 0;
        int start = 0;
        while (start <= n) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = n;
            if (start == n && end == n) break;
            lineNo++;
            int e = end;
            if (e > start && text.charAt(e - 1) == '\r') e--;
            String raw = text.substring(start, e);
            start = end + 1;
            if (pendingName != null) {
                // inside a multi-line $NAME= definition: lines end with '\' except the last
                String s = stripComment(raw).strip();
                boolean more = s.endsWith("\\");
                if (more) s = s.substring(0, s.length() - 1);
                if (pendingValue.length() > 0) pendingValue.append('\n');
                pendingValue.append(s);
                if (!more) {
                    defs.put(pendingName, pendingValue.toString());
                    pendingName = null;
                    pendingValue = null;
                }
                continue;
            }
            Src src = new Src(fileName, lineNo, raw, dir);
            if (plain(raw)) {
                // the common line: no directive, no parameter; comments end it inside tokens()
                tokens(raw, 0, src, true);
                continue;
            }
            String s = stripComment(raw);
            // a definition that continues on the next lines: "$NAME=\" or "$NAME=value \"
            int d = defStart(s);
            if (d >= 0) {
                int eq = s.indexOf('=', d);
                String value = s.substring(eq + 1).strip();
                if (value.endsWith("\\")) {
                    pendingName = s.substring(d + 1, eq);
                    pendingValue = new StringBuilder(value.substring(0, value.length() - 1).strip());
                    continue;
                }
            }
            try {
                line(s, 0, src, 0, true);
            } catch (RuntimeException | StackOverflowError ex) {
                // nothing may escape the loader: a pathological line is an error at that line
                diags.error(src.at(1), "cannot process this line: " + ex);
            }
        }
        if (pendingName != null) {
            defs.put(pendingName, pendingValue.toString());
        }
    }

    // ------------------------------------------------------------------ lines

    /**
     * One logical line. {@code base} is the column offset of {@code s} in the source text (exact while
     * no substitution happened); {@code raw} says includes may be recognised (a line of the file, after
     * its @id condition and parameter substitution, as keepalived 2.2.7 does; not a line that ~SEQ or a
     * multi-line definition made).
     */
    private void line(String s, int base, Src src, int depth, boolean raw) {
        if (depth > MAX_RECURSION) {
            diags.error(src.at(base + 1), "parameter substitution or ~SEQ nested too deeply");
            return;
        }
        int n = s.length();
        int i = skipWs(s, 0);
        if (i >= n) return;
        if (raw && depth == 0 && s.startsWith("include", i)) {
            int w = wordEnd(s, i);
            String kw = s.substring(i, w);
            int checks = includeVariant(kw);
            if (checks >= 0) {
                String arg = s.substring(w).strip();
                if (arg.indexOf('$') >= 0) {
                    // "include $DIR/..." / "include ${_PWD}/...": keepalived substitutes first
                    arg = substitute(arg, src, base + w);
                    if (arg == null) return;
                    arg = arg.strip();
                }
                include(kw, checks, arg, src, base + i + 1);
                return;
            }
            if (kw.equals("include_check")) includeCheck(s.substring(w), src, base + i + 1);
        }
        char c = s.charAt(i);
        if (c == '@') {
            // "@id rest" keeps rest when id is the config id, "@^id rest" when it is not; they may chain
            while (i < n && s.charAt(i) == '@') {
                int w = wordEnd(s, i);
                boolean neg = i + 1 < n && s.charAt(i + 1) == '^';
                String id = s.substring(Math.min(w, i + (neg ? 2 : 1)), w);
                if (id.equals(configId) == neg) return;
                i = skipWs(s, w);
            }
            if (i >= n) return;
            // keepalived 2.2.7 strips the condition first, so "@id include x" is followed when id is ours
            line(s.substring(i), base + i, src, depth, raw);
            return;
        }
        if (c == '$') {
            int d = defStart(s);
            if (d >= 0) {
                int eq = s.indexOf('=', d);
                defs.put(s.substring(d + 1, eq), s.substring(eq + 1).strip());
                return;
            }
        }
        if (c == '~' && (s.startsWith("~SEQ", i) || s.startsWith("~LST", i))) {
            sequence(s, i, base, src, depth);
            return;
        }
        if (s.indexOf('$', i) >= 0) {
            String t = substitute(s, src, base);
            if (t == null) return;
            if (!t.equals(s)) {
                if (t.indexOf('\n') >= 0) {
                    // a multi-line definition: each of its lines is a line of its own
                    int st = 0;
                    while (st <= t.length()) {
                        int e = t.indexOf('\n', st);
                        if (e < 0) e = t.length();
                        if (!budget(src, base)) return;
                        line(t.substring(st, e), base, src, depth + 1, false);
                        st = e + 1;
                    }
                    return;
                }
                int j = skipWs(t, 0);
                if (raw && depth == 0 && t.startsWith("include", j)) {
                    // keepalived 2.2.7 substitutes before it looks for include: "include $DIR" and
                    // "include ${_PWD}/x.conf" (and a parameter holding a whole include line) are followed
                    int w = wordEnd(t, j);
                    int checks = includeVariant(t.substring(j, w));
                    if (checks >= 0) {
                        include(t.substring(j, w), checks, t.substring(w).strip(), src, base + i + 1);
                        return;
                    }
                }
                if (j < t.length() && (t.charAt(j) == '@' || t.charAt(j) == '~' || (t.charAt(j) == '$' && defStart(t) >= 0))) {
                    line(t, base, src, depth + 1, false);
                    return;
                }
                s = t;
            }
        }
        tokens(s, base, src);
    }

    private boolean budget(Src src, int base) {
        if (++generated <= MAX_GENERATED_LINES) return true;
        if (!budgetReported) {
            budgetReported = true;
            diags.error(src.at(base + 1), "expansion generates more than " + MAX_GENERATED_LINES + " lines; stopped");
        }
        return false;
    }

    /** A line without include, @id, $, ~SEQ: it needs no preprocessing beyond tokens(). */
    private static boolean plain(String raw) {
        if (raw.indexOf('$') >= 0) return false;
        int i = skipWs(raw, 0);
        if (i >= raw.length()) return true;
        char c = raw.charAt(i);
        return c != '@' && c != '~' && !(c == 'i' && raw.startsWith("include", i));
    }

    // ------------------------------------------------------------------ tokens

    /** Splits a line into words: whitespace separates, quotes group (and take escapes), braces stand alone. */
    private void tokens(String s, int base, Src src) {
        tokens(s, base, src, false);
    }

    /**
     * Keywords whose line keepalived 2.2.7 reads with shell-like quoting ('...', "..." anywhere in a
     * word, backslash escapes). Every other line it splits its own simpler way: only a double quote
     * at the start of a word groups words, up to the next double quote, with no escapes; a single
     * quote is an ordinary character (auth_pass 'secret' is the 8 characters 'secret' with quotes).
     */
    private static final java.util.Set<String> SHELL_QUOTED = java.util.Set.of("script", "misc_path", "notify",
            "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify_up", "notify_down",
            "notify_master_rx_lower_pri", "notify_deleted", "quorum_up", "quorum_down", "notify_fifo_script",
            "vrrp_notify_fifo_script", "lvs_notify_fifo_script", "startup_script", "shutdown_script", "regex");

    /** With {@code comments}, an unquoted '#' or '!' ends the line (else comments were already cut). */
    private void tokens(String s, int base, Src src, boolean comments) {
        int n = s.length();
        List<Token> out = new ArrayList<>(4);
        int i = 0;
        int k0 = skipWs(s, 0);
        int k1 = k0;
        while (k1 < n && s.charAt(k1) > ' ' && s.charAt(k1) != '{' && s.charAt(k1) != '}') k1++;
        boolean shellQuoting = SHELL_QUOTED.contains(s.substring(k0, k1));
        while (i < n) {
            char c = s.charAt(i);
            if (c <= ' ') {
                i++;
                continue;
            }
            if (comments && (c == '#' || c == '!')) break;
            if (c == '{' || c == '}') {
                out.add(new Token(c == '{' ? "{" : "}", src.pos(base + i + 1), false, src.text()));
                i++;
                continue;
            }
            int start = i;
            StringBuilder sb = null;
            boolean quoted = false;
            while (i < n) {
                c = s.charAt(i);
                if (c <= ' ' || c == '{' || c == '}' || (comments && (c == '#' || c == '!'))) break;
                if (!shellQuoting && c == '"') {
                    if (i > start) break; // keepalived ends the word here; the quote starts the next one
                    int close = s.indexOf('"', i + 1);
                    if (close < 0) {
                        diags.warn(new Token("", src.pos(base + i + 1), false, src.text()), "unterminated quoted string");
                        close = n;
                    }
                    sb = new StringBuilder(s.substring(i + 1, close));
                    quoted = true;
                    i = Math.min(n, close + 1);
                    break;
                }
                if (shellQuoting && (c == '"' || c == '\'')) {
                    if (sb == null) sb = new StringBuilder(s.substring(start, i));
                    quoted = true;
                    char q = c;
                    int qpos = i;
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        c = s.charAt(i);
                        if (c == q) {
                            closed = true;
                            i++;
                            break;
                        }
                        if (c == '\\' && i + 1 < n) {
                            i = escape(s, i + 1, sb);
                        } else {
                            sb.append(c);
                            i++;
                        }
                    }
                    if (!closed) {
                        diags.warn(new Token("", src.pos(base + qpos + 1), false, src.text()),
                                "unterminated quoted string");
                    }
                    continue;
                }
                if (sb != null) sb.append(c);
                i++;
            }
            String text = sb == null ? s.substring(start, i) : sb.toString();
            out.add(new Token(text, src.pos(base + start + 1), quoted, src.text()));
        }
        if (!out.isEmpty()) tree.accept(out);
    }

    /** Decodes one escape after a backslash at {@code i - 1}; returns the index after it. */
    static int escape(String s, int i, StringBuilder sb) {
        char c = s.charAt(i);
        switch (c) {
            case 'a': sb.append('\007'); return i + 1;
            case 'b': sb.append('\b'); return i + 1;
            case 'E': sb.append('\033'); return i + 1;
            case 'f': sb.append('\f'); return i + 1;
            case 'n': sb.append('\n'); return i + 1;
            case 'r': sb.append('\r'); return i + 1;
            case 't': sb.append('\t'); return i + 1;
            case 'v': sb.append('\013'); return i + 1;
            case 'x': {
                int j = i + 1;
                int v = 0;
                while (j < s.length() && Character.digit(s.charAt(j), 16) >= 0) {
                    v = (v << 4 | Character.digit(s.charAt(j), 16)) & 0xff;
                    j++;
                }
                if (j == i + 1) {
                    sb.append('x');
                    return j;
                }
                sb.append((char) v);
                return j;
            }
            case 'c':
                if (i + 1 < s.length()) {
                    sb.append((char) (s.charAt(i + 1) & 0x1f));
                    return i + 2;
                }
                sb.append('c');
                return i + 1;
            default:
                if (c >= '0' && c <= '7') {
                    int j = i;
                    int v = 0;
                    while (j < s.length() && j < i + 3 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
                        v = v * 8 + (s.charAt(j) - '0');
                        j++;
                    }
                    sb.append((char) (v & 0xff));
                    return j;
                }
                sb.append(c);
                return i + 1;
        }
    }

    /** Cuts a '#' or '!' comment that is outside quotes. */
    static String stripComment(String s) {
        int n = s.length();
        char q = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (q != 0) {
                if (c == '\\') i++;
                else if (c == q) q = 0;
            } else if (c == '"' || c == '\'') {
                q = c;
            } else if (c == '#' || c == '!') {
                return s.substring(0, i);
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ definitions

    /** Index of '$' when the line is "$NAME=..." (only whitespace before), else -1. */
    static int defStart(String s) {
        int i = skipWs(s, 0);
        if (i >= s.length() || s.charAt(i) != '$') return -1;
        int j = i + 1;
        if (j >= s.length() || !nameStart(s.charAt(j))) return -1;
        while (j < s.length() && nameChar(s.charAt(j))) j++;
        return j < s.length() && s.charAt(j) == '=' ? i : -1;
    }

    private String substitute(String s, Src src, int base) {
        String cur = s;
        for (int pass = 0; pass < MAX_SUBST_PASSES; pass++) {
            String next = substituteOnce(cur, src);
            if (next == cur) return cur;
            if (next.length() > MAX_LINE_LENGTH) break;
            cur = next;
            if (cur.indexOf('\n') >= 0) return cur;
        }
        diags.error(src.at(base + skipWs(s, 0) + 1), "parameter substitution does not terminate (a definition refers to itself?)");
        return null;
    }

    /** One pass; returns the same instance when nothing was replaced. Inserted text is not rescanned. */
    private String substituteOnce(String s, Src src) {
        StringBuilder sb = null;
        int n = s.length();
        int i = 0;
        int copied = 0;
        while (i < n) {
            if (s.charAt(i) != '$' || i + 1 >= n) {
                i++;
                continue;
            }
            char c = s.charAt(i + 1);
            String val = null;
            int end = -1;
            if (c == '{') {
                int close = s.indexOf('}', i + 2);
                if (close > 0) {
                    val = lookup(s.substring(i + 2, close), src);
                    end = close + 1;
                }
            } else if (nameStart(c)) {
                int j = i + 1;
                while (j < n && nameChar(s.charAt(j))) j++;
                if (j == n || s.charAt(j) <= ' ') {
                    val = lookup(s.substring(i + 1, j), src);
                    end = j;
                }
            }
            if (val == null) {
                i++;
                continue;
            }
            if (sb == null) sb = new StringBuilder(n + val.length());
            sb.append(s, copied, i).append(val);
            i = end;
            copied = end;
        }
        if (sb == null) return s;
        sb.append(s, copied, n);
        return sb.toString();
    }

    private String lookup(String name, Src src) {
        String v = defs.get(name);
        if (v != null) return v;
        if (name.isEmpty() || name.charAt(0) != '_') return null;
        switch (name) {
            case "_PWD": return src.dir() == null ? "." : src.dir().toString();
            case "_INSTANCE": return configId;
            case "_HASH": return "#";
            case "_BANG": return "!";
            default:
                if (name.startsWith("_RANDOM") && (name.length() == 7 || name.charAt(7) == ' ')) {
                    String[] p = name.substring(7).strip().split("\\s+");
                    long min = 0, max = 32767;
                    try {
                        if (p.length >= 1 && !p[0].isEmpty()) min = Long.parseLong(p[0]);
                        if (p.length >= 2) max = Long.parseLong(p[1]);
                    } catch (NumberFormatException e) {
                        return null;
                    }
                    if (max < min) return Long.toString(min);
                    return Long.toString(min + (long) (random.nextDouble() * (max - min + 1)));
                }
                return null;
        }
    }

    // ------------------------------------------------------------------ ~SEQ / ~LST

    private void sequence(String s, int i, int base, Src src, int depth) {
        boolean lst = s.startsWith("~LST", i);
        boolean hex = !lst && s.startsWith("~SEQx", i);
        int open = i + (hex ? 5 : 4);
        if (open >= s.length() || s.charAt(open) != '(') {
            diags.error(src.at(base + i + 1), "expected '(' after " + s.substring(i, Math.min(s.length(), open)));
            return;
        }
        int close = matching(s, open);
        if (close < 0) {
            diags.error(src.at(base + i + 1), "missing ')' in " + (lst ? "~LST" : "~SEQ"));
            return;
        }
        List<String> parts = splitTop(s.substring(open + 1, close));
        String rest = s.substring(close + 1);
        int restBase = base + close + 1;
        if (lst) {
            if (parts.size() < 2) {
                diags.error(src.at(base + i + 1), "~LST needs a variable and at least one value");
                return;
            }
            List<String> vars = unbrace(parts.get(0));
            for (int k = 1; k < parts.size(); k++) {
                List<String> vals = unbrace(parts.get(k));
                if (vals.size() != vars.size()) {
                    diags.error(src.at(base + i + 1), "~LST value " + parts.get(k).strip() + " does not match variables " + parts.get(0).strip());
                    return;
                }
                for (int v = 0; v < vars.size(); v++) defs.put(vars.get(v), vals.get(v));
                if (!budget(src, base)) return;
                line(rest, restBase, src, depth + 1, false);
            }
            return;
        }
        if (parts.size() < 2 || parts.size() > 4) {
            diags.error(src.at(base + i + 1), "~SEQ needs (var, [start, [step,]] end)");
            return;
        }
        String var = parts.get(0).strip();
        for (int k = 1; k < parts.size(); k++) {
            if (parts.get(k).indexOf('$') >= 0) {
                // keepalived substitutes parameters in the bounds: ~SEQ(N, 1, $MAX)
                String t = substitute(parts.get(k).strip(), src, base + i);
                if (t == null) return;
                parts.set(k, t);
            }
        }
        long start, step, end;
        try {
            end = number(parts.get(parts.size() - 1));
            start = parts.size() >= 3 ? number(parts.get(1)) : (end >= 0 ? 1 : -1);
            step = parts.size() == 4 ? number(parts.get(2)) : (end >= start ? 1 : -1);
        } catch (NumberFormatException e) {
            diags.error(src.at(base + i + 1), "~SEQ: not a number in '" + s.substring(i, close + 1) + "'");
            return;
        }
        if (step == 0 || (step > 0 && start > end) || (step < 0 && start < end)) {
            diags.error(src.at(base + i + 1), "~SEQ: step " + step + " never goes from " + start + " to " + end);
            return;
        }
        for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
            defs.put(var, hex ? Long.toHexString(v) : Long.toString(v));
            if (!budget(src, base)) return;
            line(rest, restBase, src, depth + 1, false);
            if (step > 0 ? v > Long.MAX_VALUE - step : v < Long.MIN_VALUE - step) break;
        }
    }

    private static long number(String p) {
        String t = p.strip();
        boolean neg = t.startsWith("-");
        if (neg) t = t.substring(1);
        // as C's strtol(..., 0), which keepalived uses: 0x.. hexadecimal, 0.. octal
        long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16)
                : t.length() > 1 && t.startsWith("0") ? Long.parseLong(t.substring(1), 8) : Long.parseLong(t);
        return neg ? -v : v;
    }

    private static int matching(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i;
        }
        return -1;
    }

    /** Splits on commas outside {...}. */
    private static List<String> splitTop(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0, st = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') depth++;
            else if (c == '}') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(st, i));
                st = i + 1;
            }
        }
        out.add(s.substring(st));
        return out;
    }

    private static List<String> unbrace(String p) {
        String t = p.strip();
        if (t.startsWith("{") && t.endsWith("}")) {
            List<String> out = new ArrayList<>();
            for (String x : t.substring(1, t.length() - 1).split(",", -1)) out.add(x.strip());
            return out;
        }
        return List.of(t);
    }

    // ------------------------------------------------------------------ include

    private static int includeVariant(String kw) {
        switch (kw) {
            case "include": return 0;
            case "includer": return CHECK_READABLE;
            case "includem": return CHECK_READABLE | CHECK_MATCH;
            case "includew": return CHECK_READABLE | CHECK_WILDCARD;
            case "includeb": return CHECK_READABLE | CHECK_BRACE;
            case "includea": return CHECK_ALL;
            default: return -1;
        }
    }

    /** include_check [[+|-]readable|match|wildcard_match|brace_match ...]; none = all. */
    private void includeCheck(String argsText, Src src, int col) {
        String a = argsText.strip();
        if (a.isEmpty()) {
            includeCheck = CHECK_ALL;
            return;
        }
        int level = 0;
        boolean relative = false;
        for (String w : a.split("\\s+")) {
            boolean minus = w.startsWith("-");
            boolean plus = w.startsWith("+");
            if (plus || minus) relative = true;
            String name = plus || minus ? w.substring(1) : w;
            int bit;
            switch (name) {
                case "readable": bit = CHECK_READABLE; break;
                case "match": bit = CHECK_MATCH | CHECK_READABLE; break;
                case "wildcard_match": bit = CHECK_WILDCARD | CHECK_READABLE; break;
                case "brace_match": bit = CHECK_BRACE | CHECK_READABLE; break;
                default:
                    diags.error(src.at(col), "include_check: unknown option '" + w + "'");
                    continue;
            }
            if (minus) level &= ~bit;
            else level |= bit;
            if (minus) includeCheck &= ~bit;
        }
        includeCheck = relative ? (includeCheck | level) : level;
    }

    private void include(String kw, int variant, String arg, Src src, int col) {
        Token at = src.at(col);
        if (arg.isEmpty()) {
            diags.error(at, kw + " without a file name");
            return;
        }
        if (arg.length() >= 2 && (arg.charAt(0) == '"' || arg.charAt(0) == '\'') && arg.charAt(arg.length() - 1) == arg.charAt(0)) {
            arg = arg.substring(1, arg.length() - 1);
        }
        int checks = includeCheck | variant;
        boolean lenient = checks == 0; // plain include: keepalived only logs
        List<String> patterns = braceExpand(arg);
        boolean braced = patterns.size() > 1 || !patterns.get(0).equals(arg);
        boolean any = false;
        List<Path> files = new ArrayList<>();
        for (String p : patterns) {
            boolean wildcard = hasGlob(p);
            List<Path> m = glob(p, src.dir());
            if (m.isEmpty()) {
                String msg = kw + ": no file matches '" + p + "'";
                if ((checks & CHECK_WILDCARD) != 0 || ((checks & CHECK_MATCH) != 0 && !wildcard)
                        || ((checks & CHECK_BRACE) != 0 && braced && !wildcard)) {
                    diags.error(at, msg);
                } else if (lenient && !wildcard) {
                    // keepalived 2.2.7 logs "Config files missing" and passes -t (exit 0): a notice
                    diags.notice(at, msg + " (ignored, as keepalived does for plain include)");
                }
            }
            for (Path f : m) if (!files.contains(f)) files.add(f);
            any |= !m.isEmpty();
        }
        if (!any) return;
        for (Path f : files) {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                String msg = kw + ": '" + f + "' is not a readable file";
                if ((checks & CHECK_READABLE) != 0) diags.error(at, msg);
                else diags.warn(at, msg);
                continue;
            }
            Path real = realPath(f);
            if (openFiles.contains(real)) {
                diags.error(at, kw + ": include cycle, '" + f + "' is already being read");
                continue;
            }
            if (openFiles.size() >= MAX_INCLUDE_DEPTH) {
                diags.error(at, kw + ": includes nested deeper than " + MAX_INCLUDE_DEPTH);
                continue;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f);
            } catch (IOException | RuntimeException e) {
                diags.add(lenient ? Diagnostic.Severity.WARNING : Diagnostic.Severity.ERROR, at.pos(),
                        kw + ": cannot read '" + f + "': " + e.getMessage(), src.text());
                continue;
            }
            int savedCheck = includeCheck;
            includeCheck = checks;
            openFiles.add(real);
            String savedPwd = defs.get("_PWD");
            text(new String(bytes, StandardCharsets.UTF_8), f.toString(), dirOf(f));
            if (savedPwd != null) defs.put("_PWD", savedPwd);
            openFiles.remove(openFiles.size() - 1);
            includeCheck = savedCheck;
        }
    }

    static boolean hasGlob(String p) {
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' || c == '?' || c == '[') return true;
        }
        return false;
    }

    /** csh-style brace expansion: "a{b,c{d,e}}f" gives abf, acdf, acef. A brace without a comma stays literal. */
    static List<String> braceExpand(String s) {
        List<String> out = new ArrayList<>();
        braceExpand(s, out);
        return out;
    }

    private static void braceExpand(String s, List<String> out) {
        if (out.size() > 1000) return;
        int depth = 0, open = -1;
        List<Integer> commas = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                if (depth == 0) {
                    open = i;
                    commas.clear();
                }
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
                if (depth == 0) {
                    if (commas.isEmpty()) {
                        continue; // literal braces
                    }
                    String pre = s.substring(0, open), post = s.substring(i + 1);
                    int st = open + 1;
                    commas.add(i);
                    for (int cm : commas) {
                        braceExpand(pre + s.substring(st, cm) + post, out);
                        st = cm + 1;
                    }
                    return;
                }
            } else if (c == ',' && depth == 1) {
                commas.add(i);
            }
        }
        out.add(s);
    }

    /** Files matching a glob pattern (relative to dir), sorted per directory as glob(3) does. */
    static List<Path> glob(String pattern, Path dir) {
        List<Path> out = new ArrayList<>();
        try {
            Path p = dir == null ? Path.of(pattern) : dir.resolve(pattern);
            p = p.normalize();
            if (!hasGlob(pattern)) {
                if (Files.exists(p)) out.add(p);
                return out;
            }
            Path root = p.getRoot();
            List<Path> current = new ArrayList<>();
            current.add(root == null ? Path.of("") : root);
            for (Path comp : p) {
                String c = comp.toString();
                List<Path> next = new ArrayList<>();
                if (!hasGlob(c)) {
                    for (Path b : current) {
                        Path r = b.resolve(c);
                        if (Files.exists(r)) next.add(r);
                    }
                } else {
                    PathMatcher m = p.getFileSystem().getPathMatcher("glob:" + c);
                    for (Path b : current) {
                        if (!Files.isDirectory(b.toString().isEmpty() ? Path.of(".") : b)) continue;
                        List<Path> found = new ArrayList<>();
                        try (DirectoryStream<Path> ds = Files.newDirectoryStream(b.toString().isEmpty() ? Path.of(".") : b)) {
                            for (Path e : ds) {
                                Path name = e.getFileName();
                                if (name.toString().startsWith(".") && !c.startsWith(".")) continue;
                                if (m.matches(name)) found.add(b.resolve(name.toString()));
                            }
                        }
                        found.sort(null);
                        next.addAll(found);
                    }
                }
                current = next;
                if (current.isEmpty()) break;
            }
            out.addAll(current);
        } catch (IOException | RuntimeException e) {
            // an unreadable directory or a malformed pattern matches nothing
        }
        return out;
    }

    private static Path dirOf(Path f) {
        Path abs = f.toAbsolutePath().normalize();
        return abs.getParent();
    }

    private static Path realPath(Path f) {
        try {
            return f.toRealPath();
        } catch (IOException | RuntimeException e) {
            return f.toAbsolutePath().normalize();
        }
    }

    // ------------------------------------------------------------------ chars

    private static int skipWs(String s, int i) {
        while (i < s.length() && s.charAt(i) <= ' ') i++;
        return i;
    }

    private static int wordEnd(String s, int i) {
        while (i < s.length() && s.charAt(i) > ' ') i++;
        return i;
    }

    static boolean nameStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    static boolean nameChar(char c) {
        return nameStart(c) || (c >= '0' && c <= '9');
    }
}
