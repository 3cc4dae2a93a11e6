package org.jkeepalived.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The registry and the parser agree: every keyword listed as implemented is taken by a typed field
 * (no "unknown", no "not yet implemented"), every accepted-only keyword gets exactly that notice.
 */
class KeywordSupportTest {

    /** Config text with "@KW@" where the keyword goes, and the line it lands on. */
    private static final Map<String, String> CONTEXT = Map.ofEntries(
            Map.entry("top", "@KW@\n"),
            Map.entry("global_defs", "global_defs {\n@KW@\n}\n"),
            Map.entry("vrrp_script", "vrrp_script s {\n@KW@\n}\n"),
            Map.entry("track_file", "track_file t {\n@KW@\n}\n"),
            Map.entry("vrrp_track_process", "vrrp_track_process t {\n@KW@\n}\n"),
            Map.entry("vrrp_sync_group", "vrrp_sync_group g {\n@KW@\n}\n"),
            Map.entry("vrrp_instance", "vrrp_instance v {\n@KW@\n}\n"),
            Map.entry("authentication", "vrrp_instance v {\n authentication {\n@KW@\n }\n}\n"),
            Map.entry("virtual_server", "virtual_server 10.0.0.1 80 {\n@KW@\n}\n"),
            Map.entry("real_server", "virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n@KW@\n }\n}\n"),
            Map.entry("checker", "virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n  TCP_CHECK {\n@KW@\n  }\n }\n}\n"),
            Map.entry("url", "virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n  HTTP_GET {\n   url {\n@KW@\n   }\n  }\n }\n}\n"));

    private static String context(String section) {
        String c = CONTEXT.get(section);
        if (c != null) return c;
        // checker-specific sections
        return "virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n  " + section + " {\n@KW@\n  }\n }\n}\n";
    }

    private static List<Diagnostic> at(String section, String kw) {
        String text = context(section);
        int line = (int) text.substring(0, text.indexOf("@KW@")).chars().filter(c -> c == '\n').count() + 1;
        LoadResult r = ConfigLoader.parse(text.replace("@KW@", kw), "kw.conf", TestSupport.OPTS);
        return r.diagnostics().stream().filter(d -> d.pos().line() == line).collect(Collectors.toList());
    }

    @Test
    void implementedKeywordsHaveTypedFields() {
        for (String section : KeywordSupport.sections()) {
            for (String kw : KeywordSupport.implemented(section)) {
                if (kw.startsWith("include")) continue; // handled by the preprocessor, tested in LexerTest
                List<Diagnostic> ds = at(section, kw);
                assertTrue(ds.stream().noneMatch(d -> d.message().startsWith("unknown keyword")),
                        section + " " + kw + ": " + TestSupport.formatAll(ds));
                boolean noticed = ds.stream().anyMatch(d -> d.message().startsWith("accepted, not yet implemented"));
                // typed keywords no module acts on yet must still be reported as such
                assertEquals(KeywordSupport.isPending(section, kw), noticed,
                        section + " " + kw + ": " + TestSupport.formatAll(ds));
            }
        }
    }

    @Test
    void acceptedKeywordsAreNoticed() {
        int n = 0;
        for (String section : KeywordSupport.sections()) {
            for (String kw : KeywordSupport.notYetImplemented(section)) {
                List<Diagnostic> ds = at(section, kw);
                assertEquals(1, ds.stream().filter(d -> d.severity() == Diagnostic.Severity.NOTICE
                        && d.message().equals("accepted, not yet implemented: " + kw)).count(),
                        section + " " + kw + ": " + TestSupport.formatAll(ds));
                assertTrue(ds.stream().noneMatch(d -> d.message().startsWith("unknown keyword")));
                n++;
            }
        }
        assertTrue(n > 100, "the man page has many keywords; only " + n + " listed");
    }

    @Test
    void registryShape() {
        assertTrue(KeywordSupport.isImplemented("vrrp_instance", "priority"));
        assertTrue(KeywordSupport.isImplemented("vrrp_instance", "track_process"));
        assertFalse(KeywordSupport.isImplemented("vrrp_instance", "use_ipvlan"));
        assertTrue(KeywordSupport.isKnown("vrrp_instance", "use_ipvlan"));
        assertFalse(KeywordSupport.isKnown("vrrp_instance", "frobnicate"));
        assertTrue(KeywordSupport.implemented("virtual_server").contains("lb_algo"));
        assertTrue(KeywordSupport.markdownTable().contains("| vrrp_instance | accept advert_int authentication"));
        for (String s : KeywordSupport.sections()) {
            for (String kw : KeywordSupport.implemented(s)) {
                assertFalse(KeywordSupport.notYetImplemented(s).contains(kw), s + " " + kw + " listed twice");
            }
        }
    }
}
