package org.jkeepalived.core.parse;

import static org.jkeepalived.core.parse.TestSupport.find;
import static org.jkeepalived.core.parse.TestSupport.ok;
import static org.jkeepalived.core.parse.TestSupport.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.StaticAddress;
import org.jkeepalived.core.config.VirtualServerGroup;
import org.jkeepalived.core.parse.Diagnostic.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preprocessor and tokenizer: every lexical feature of keepalived.conf(5). */
class LexerTest {

    private static List<String> vips(KeepalivedConfig c) {
        return c.vrrpInstances().get(0).virtualIpaddresses().stream().map(StaticAddress::cidr).collect(Collectors.toList());
    }

    private static String instance(String body) {
        return "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n" + body + "\n}\n";
    }

    @Test
    void commentsWithHashAndBangAnywhere() {
        KeepalivedConfig c = ok("# a comment\n! another\nvrrp_instance VI_1 { # trailing\n"
                + " interface eth0 ! bang comment\n virtual_router_id 7#glued\n priority 99!x\n}\n");
        assertEquals("eth0", c.vrrpInstances().get(0).iface());
        assertEquals(7, c.vrrpInstances().get(0).virtualRouterId());
        assertEquals(99, c.vrrpInstances().get(0).priority());
    }

    @Test
    void commentCharactersInsideQuotesAreKept() {
        KeepalivedConfig c = ok(instance(" notify_master \"/bin/x #1 !2\""));
        assertEquals("/bin/x #1 !2", c.vrrpInstances().get(0).notifyMaster().command());
    }

    @Test
    void bracesShareLinesWithKeywords() {
        KeepalivedConfig c = ok("vrrp_instance VI_1 { interface eth0\n virtual_router_id 1\n"
                + " virtual_ipaddress { 10.0.0.1/24 }\n}\n"
                + "vrrp_instance VI_2\n{\n interface eth0\n virtual_router_id 2 }\n"
                + "vrrp_sync_group G { group { VI_1 VI_2 } }\n");
        assertEquals(List.of("10.0.0.1/24"), vips(c));
        assertEquals(2, c.vrrpInstances().size());
        assertEquals(List.of("VI_1", "VI_2"), c.vrrpSyncGroups().get(0).group());
    }

    @Test
    void quotedStringsJoinAndKeepWhitespace() {
        KeepalivedConfig c = ok(instance(" notify_master abcd\" efg h jkl \"mnop\n notify_backup 'x  y' root wheel"));
        assertEquals("abcd efg h jkl mnop", c.vrrpInstances().get(0).notifyMaster().command());
        assertEquals("x  y", c.vrrpInstances().get(0).notifyBackup().command());
        assertEquals("root", c.vrrpInstances().get(0).notifyBackup().user());
        assertEquals("wheel", c.vrrpInstances().get(0).notifyBackup().group());
    }

    @Test
    void escapesInQuotedStrings() {
        KeepalivedConfig c = ok(instance(" notify_master \"a\\tb\\n\\x41\\101\\\\\\\"q\\cA\\E\\a\\b\\f\\r\\v\\z\""));
        assertEquals("a\tb\nAA\\\"q\u0001\u001b\u0007\b\f\r\u000bz", c.vrrpInstances().get(0).notifyMaster().command());
    }

    @Test
    void escapesAreNotDecodedOutsideQuotes() {
        KeepalivedConfig c = ok(instance(" notify_master /bin/a\\tb"));
        assertEquals("/bin/a\\tb", c.vrrpInstances().get(0).notifyMaster().command());
    }

    @Test
    void scriptArgumentsSplitOnSpacesWithSingleQuotesGrouping() {
        KeepalivedConfig c = ok("vrrp_script chk {\n script \"/bin/check 'a b' c\"\n}\n"
                + "vrrp_script chk2 {\n script /usr/bin/killall -0 haproxy\n}\n");
        assertEquals(List.of("/bin/check", "a b", "c"), c.vrrpScripts().get(0).script().argv());
        assertEquals(List.of("/usr/bin/killall", "-0", "haproxy"), c.vrrpScripts().get(1).script().argv());
    }

    @Test
    void definitionsAndSubstitution() {
        KeepalivedConfig c = ok("$IF=eth1\n$NET=10.1\n$EMPTY=\nvrrp_instance VI_1 {\n interface $IF\n"
                + " virtual_router_id 3\n virtual_ipaddress {\n  ${NET}.0.1/24 $EMPTY\n }\n"
                + " notify_master \"/bin/x ${UNDEFINED} $$\"\n}\n");
        assertEquals("eth1", c.vrrpInstances().get(0).iface());
        // $NET followed by '.' is not a reference: only "$NAME " or "${NAME}" are
        assertEquals("/bin/x ${UNDEFINED} $$", c.vrrpInstances().get(0).notifyMaster().command());
        assertEquals(List.of("10.1.0.1/24"), vips(c));
    }

    @Test
    void unbracedReferenceNeedsWhitespaceAfterIt() {
        LoadResult r = parse("$NET=10.1\n" + instance(" virtual_ipaddress {\n  $NET.0.2\n }"));
        find(r, Severity.ERROR, "invalid IP address '$NET.0.2'");
    }

    @Test
    void substitutionIsRecursiveAndLate() {
        KeepalivedConfig c = ok("$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n$ADDRESS_BASE_SUB=0\n"
                + instance(" virtual_ipaddress {\n  ${ADDRESS_BASE}.100/32\n  $ADDRESS_BASE_SUB=10\n  ${ADDRESS_BASE}.100/32\n }"));
        assertEquals(List.of("10.2.0.100/32", "10.2.10.100/32"), vips(c));
    }

    @Test
    void multiLineDefinitionsExpandToLines() {
        String text = "$INSTANCE= \\\n"
                + "vrrp_instance VI_${NUM} { \\\n"
                + "    interface eth0.${NUM} \\\n"
                + "    virtual_router_id 1 \\\n"
                + "    @main priority 130 \\\n"
                + "    @other priority 120 \\\n"
                + "    virtual_ipaddress { \\\n"
                + "        10.0.${NUM}.254/24 \\\n"
                + "    } \\\n"
                + "}\n"
                + "$NUM=0\n$INSTANCE\n$NUM=1\n$INSTANCE\n";
        KeepalivedConfig c = ok(text);
        assertEquals(2, c.vrrpInstances().size());
        assertEquals("VI_1", c.vrrpInstances().get(1).name());
        assertEquals("eth0.1", c.vrrpInstances().get(1).iface());
        assertEquals(130, c.vrrpInstances().get(0).priority());
        assertEquals("10.0.1.254/24", c.vrrpInstances().get(1).virtualIpaddresses().get(0).cidr());
    }

    @Test
    void nestedMultiLineDefinitionsWithDefinitionsInside() {
        String text = "$RS= \\\n"
                + "real_server 192.168.${VS_NUM}.${RS_NUM} 80 { \\\n"
                + "    weight ${RS_NUM} \\\n"
                + "}\n"
                + "$VS= \\\n"
                + "virtual_server 10.0.${VS_NUM}.4 80 { \\\n"
                + "    protocol TCP \\\n    lb_algo rr \\\n    lb_kind NAT \\\n"
                + "    $RS_NUM=1 \\\n"
                + "    $RS \\\n"
                + "    $RS_NUM=2 \\\n"
                + "    $RS \\\n"
                + "}\n"
                + "$VS_NUM=0\n$VS\n$VS_NUM=1\n$VS\n";
        KeepalivedConfig c = ok(text);
        assertEquals(2, c.virtualServers().size());
        assertEquals("[10.0.1.4]:tcp:80", c.virtualServers().get(1).label());
        assertEquals(List.of("[192.168.1.1]:80", "[192.168.1.2]:80"),
                c.virtualServers().get(1).realServers().stream().map(r -> r.label()).collect(Collectors.toList()));
        assertEquals(2, c.virtualServers().get(1).realServers().get(1).weight());
    }

    @Test
    void conditionalLinesUseTheConfigId() {
        String text = "global_defs {\n @main router_id main_router\n @backup router_id backup_router\n}\n"
                + instance(" unicast_peer {\n  @^main 1.2.3.4\n  @^backup 1.2.3.5\n  @^backup2 1.2.3.6\n }");
        KeepalivedConfig main = ok(text);
        assertEquals("main_router", main.globalDefs().routerId());
        assertEquals(List.of("1.2.3.5", "1.2.3.6"), main.vrrpInstances().get(0).unicastPeers().stream()
                .map(p -> p.address().getHostAddress()).collect(Collectors.toList()));
        LoadResult other = ConfigLoader.parse(text, "x.conf", LoadOptions.DEFAULT.withConfigId("zzz"));
        assertNull(other.config().globalDefs().routerId());
        assertEquals(3, other.config().vrrpInstances().get(0).unicastPeers().size());
    }

    @Test
    void conditionalFromASubstitutedParameter() {
        KeepalivedConfig c = ok("@main $PRIORITY=240\n@backup $PRIORITY=200\n$IF_MAIN=@main\n"
                + instance(" priority $PRIORITY\n $IF_MAIN nopreempt"));
        assertEquals(240, c.vrrpInstances().get(0).priority());
        assertTrue(c.vrrpInstances().get(0).nopreempt());
    }

    @Test
    void defaultConfigIdIsTheHostNamesFirstLabel() {
        String id = LoadOptions.DEFAULT.effectiveConfigId();
        assertNotNull(id);
        assertTrue(!id.contains("."), id);
    }

    @Test
    void predefinedParameters() {
        KeepalivedConfig c = ok(instance(" notify_master \"${_PWD}/n.sh ${_HASH}${_BANG} ${_INSTANCE}\"\n"
                + " notify_backup \"/r ${_RANDOM 5 5}\""));
        assertEquals("/tmp/jk-test/n.sh #! main", c.vrrpInstances().get(0).notifyMaster().command());
        assertEquals("/r 5", c.vrrpInstances().get(0).notifyBackup().command());
    }

    @Test
    void definesFromLoadOptions() {
        LoadResult r = ConfigLoader.parse(instance(" priority $P"), "x.conf", new LoadOptions(false, "a", Map.of("P", "42")));
        assertEquals(42, r.config().vrrpInstances().get(0).priority());
    }

    @Test
    void seqExpansion() {
        KeepalivedConfig c = ok(instance(" virtual_ipaddress {\n  ~SEQ(SUBNET, 0, 3) 10.0.${SUBNET}.1\n"
                + "  ~SEQ(A, 2) 10.9.${A}.1\n  ~SEQ(B, 5, -2, 1) 10.8.${B}.1\n }"));
        assertEquals(List.of("10.0.0.1/32", "10.0.1.1/32", "10.0.2.1/32", "10.0.3.1/32", "10.9.1.1/32", "10.9.2.1/32",
                "10.8.5.1/32", "10.8.3.1/32", "10.8.1.1/32"), vips(c));
    }

    @Test
    void seqxIsHexAndSeqsNest() {
        KeepalivedConfig c = ok(instance(" virtual_ipaddress {\n"
                + "  ~SEQx(AD2, 0x90, 0x10, 0xa0) ~SEQx(AD1, 0x12, -1, 0x11) fe81::10:${AD2}:${AD1}\n }"));
        assertEquals(List.of("fe81::10:90:12/128", "fe81::10:90:11/128", "fe81::10:a0:12/128", "fe81::10:a0:11/128"), vips(c));
    }

    @Test
    void lstExpansion() {
        KeepalivedConfig c = ok(instance(" virtual_ipaddress {\n"
                + "  ~LST({IP, IP1}, {10,1},{20,4}) ~SEQ(IP2,168,2,170) 192.${IP2}.${IP}.${IP1}\n"
                + "  ~LST(X, 7, 8) 10.0.0.${X}\n }"));
        assertEquals(List.of("192.168.10.1/32", "192.170.10.1/32", "192.168.20.4/32", "192.170.20.4/32",
                "10.0.0.7/32", "10.0.0.8/32"), vips(c));
    }

    @Test
    void hugeSeqIsCutOffWithAnError() {
        LoadResult r = parse("~SEQ(X, 0, 99999999999) !x\n" + "virtual_server_group G {\n ~SEQ(Y, 1, 1, 99999999999) 10.0.0.1 ${Y}\n}\n");
        find(r, Severity.ERROR, "expansion generates more than");
    }

    @Test
    void selfReferencingDefinitionIsAnErrorNotAHang() {
        LoadResult r = parse("$A=x ${A}\n" + instance(" notify_master \"${A}\""));
        Diagnostic d = find(r, Severity.ERROR, "does not terminate");
        assertTrue(d.pos().line() >= 2);
    }

    @Test
    void tokensKeepFileLineAndColumn() {
        LoadResult r = parse("vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 1\n  priority    300\n}\n");
        Diagnostic d = find(r, Severity.ERROR, "'300'");
        assertEquals(new SourcePos("/tmp/jk-test/keepalived.conf", 4, 15), d.pos());
        assertEquals("  priority    300", d.lineText());
    }

    // ---------------------------------------------------------------- includes

    private static Path write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void includeRelativeToTheIncludingFileNestedWithGlobsAndBraces(@TempDir Path dir) throws IOException {
        Path top = write(dir.resolve("keepalived.conf"), "include conf.d/*.conf\ninclude {a,b/{x,y}}.inc\n");
        write(dir.resolve("conf.d/10-vi1.conf"), instance(" virtual_ipaddress {\n 10.0.0.1\n }").replace("VI_1", "VI_A")
                .replace("router_id 1", "router_id 11"));
        write(dir.resolve("conf.d/20-nested.conf"), "include sub/more.conf\n");
        write(dir.resolve("conf.d/sub/more.conf"), "vrrp_script chk {\n script /bin/true\n}\n");
        write(dir.resolve("a.inc"), "vrrp_script a {\n script /bin/a\n}\n");
        write(dir.resolve("b/x.inc"), "vrrp_script bx {\n script /bin/bx\n}\n");
        write(dir.resolve("b/y.inc"), "vrrp_script by {\n script /bin/by\n}\n");
        LoadResult r = ConfigLoader.load(top, LoadOptions.DEFAULT);
        assertTrue(r.errors().isEmpty(), TestSupport.formatAll(r.diagnostics()));
        assertEquals(List.of("chk", "a", "bx", "by"), r.config().vrrpScripts().stream().map(s -> s.name()).collect(Collectors.toList()));
        assertEquals("VI_A", r.config().vrrpInstances().get(0).name());
    }

    @Test
    void includedFilesReportTheirOwnPositions(@TempDir Path dir) throws IOException {
        Path top = write(dir.resolve("k.conf"), "include inc.conf\n");
        Path inc = write(dir.resolve("inc.conf"), "\n\nvrrp_instance X {\n priority 0\n}\n");
        LoadResult r = ConfigLoader.load(top, LoadOptions.DEFAULT);
        Diagnostic d = find(r, Severity.ERROR, "'0'");
        assertEquals(inc.toString(), d.pos().file());
        assertEquals(4, d.pos().line());
    }

    @Test
    void blockMaySpanIncludedFiles(@TempDir Path dir) throws IOException {
        Path top = write(dir.resolve("k.conf"), "vrrp_instance X {\n include body.inc\n}\n");
        write(dir.resolve("body.inc"), "interface eth0\nvirtual_router_id 9\n");
        LoadResult r = ConfigLoader.load(top, LoadOptions.DEFAULT);
        assertEquals(9, r.config().vrrpInstances().get(0).virtualRouterId());
    }

    @Test
    void plainIncludeOfAMissingFileIsANotice(@TempDir Path dir) throws IOException {
        // keepalived 2.2.7 says "Config files missing" and its -t passes: said, not failed
        Path top = write(dir.resolve("k.conf"), "global_defs {\n}\ninclude missing.conf\n");
        LoadResult r = ConfigLoader.load(top, LoadOptions.DEFAULT);
        Diagnostic d = find(r, Severity.NOTICE, "no file matches");
        assertEquals(3, d.pos().line());
        assertNotNull(r.config());
    }

    @Test
    void plainIncludeOfAnEmptyWildcardIsSilent(@TempDir Path dir) throws IOException {
        Path top = write(dir.resolve("k.conf"), "include conf.d/*.conf\n");
        LoadResult r = ConfigLoader.load(top, LoadOptions.DEFAULT);
        assertTrue(r.diagnostics().isEmpty(), TestSupport.formatAll(r.diagnostics()));
    }

    @Test
    void includeVariantsFollowIncludeCheck(@TempDir Path dir) throws IOException {
        Path top = write(dir.resolve("k.conf"), String.join("\n",
                "includer none/*.conf",          // readable only: no match is fine
                "includer missing-r.conf",       // readable only: no match is fine
                "includem missing-m.conf",       // match: error
                "includem none/*.conf",          // match, but a wildcard: fine
                "includew none/*.conf",          // wildcard_match: error
                "includeb {p,q}.conf",           // brace_match: error for each unmatched alternative
                "includea missing-a.conf",       // all: error
                ""));
        write(dir.resolve("p.conf"), "");
        LoadResult r = ConfigLoader.load(top, LoadOptions.DEFAULT);
        List<Integer> errorLines = r.errors().stream().map(d -> d.pos().line()).collect(Collectors.toList());
        assertEquals(List.of(3, 5, 6, 7), errorLines, TestSupport.formatAll(r.diagnostics()));
        assertTrue(r.errors().get(2).message().contains("q.conf"));
        assertNull(r.config());
    }

    @Test
    void includeCheckKeywordMakesPlainIncludeStrict(@TempDir Path dir) throws IOException {
        Path top = write(dir.resolve("k.conf"), "global_defs {\n include_check\n}\ninclude missing.conf\n");
        LoadResult r = ConfigLoader.load(top, LoadOptions.DEFAULT);
        assertEquals(4, find(r, Severity.ERROR, "no file matches").pos().line());
    }

    @Test
    void includeCycleIsAnErrorAtTheIncludeLine(@TempDir Path dir) throws IOException {
        Path top = write(dir.resolve("k.conf"), "include a.conf\n");
        Path a = write(dir.resolve("a.conf"), "\ninclude k.conf\n");
        LoadResult r = ConfigLoader.load(top, LoadOptions.DEFAULT);
        Diagnostic d = find(r, Severity.ERROR, "include cycle");
        assertEquals(a.toString(), d.pos().file());
        assertEquals(2, d.pos().line());
    }

    @Test
    void pwdFollowsTheIncludedFile(@TempDir Path dir) throws IOException {
        Path top = write(dir.resolve("k.conf"), "include sub/i.conf\nvrrp_script top {\n script \"${_PWD}/t.sh\"\n}\n");
        write(dir.resolve("sub/i.conf"), "vrrp_script inner {\n script \"${_PWD}/i.sh\"\n}\n");
        LoadResult r = ConfigLoader.load(top, LoadOptions.DEFAULT);
        assertEquals(dir.resolve("sub/i.sh").toAbsolutePath().normalize().toString(),
                r.config().vrrpScript("inner").get().script().command());
        assertEquals(dir.resolve("t.sh").toAbsolutePath().normalize().toString(),
                r.config().vrrpScript("top").get().script().command());
    }

    @Test
    void includeIsFollowedAfterConditionsAndParameters(@TempDir Path dir) throws IOException {
        // keepalived 2.2.7 (checked with its config dump): it strips "@id" and substitutes parameters
        // before it looks for include; a "$D/x" that is no parameter stays literal, as there
        write(dir.resolve("inc/a.conf"), "vrrp_script a {\n script /bin/true\n}\n");
        write(dir.resolve("inc/b.conf"), "vrrp_script b {\n script /bin/true\n}\n");
        write(dir.resolve("inc/c.conf"), "vrrp_script c {\n script /bin/true\n}\n");
        write(dir.resolve("inc/d.conf"), "vrrp_script d {\n script /bin/true\n}\n");
        Path top = write(dir.resolve("k.conf"), "$LINE=include inc/a.conf\n$LINE\n"
                + "$B=inc/b.conf\ninclude $B\n"
                + "include ${_PWD}/inc/c.conf\n"
                + "@main include inc/d.conf\n@other include inc/nothere.conf\n");
        LoadResult r = ConfigLoader.load(top, new LoadOptions(false, "main", Map.of()));
        for (String s : List.of("a", "b", "c", "d")) {
            assertTrue(r.config().vrrpScript(s).isPresent(), s + " included:\n" + TestSupport.formatAll(r.diagnostics()));
        }
        assertTrue(r.diagnostics().isEmpty(), TestSupport.formatAll(r.diagnostics()));
        LoadResult other = ConfigLoader.load(top, new LoadOptions(false, "other", Map.of()));
        assertTrue(other.config().vrrpScript("d").isEmpty(), "@main is not ours with -i other");
    }

    @Test
    void braceExpansionIsCshStyle() {
        assertEquals(List.of("foo/", "foo/cat", "foo/dog", "bar"), Preprocessor.braceExpand("{foo/{,cat,dog},bar}"));
        assertEquals(List.of("a{b}c"), Preprocessor.braceExpand("a{b}c"));
    }

    @Test
    void vsgRangesFromSeq() {
        KeepalivedConfig c = ok("virtual_server_group G {\n ~SEQ(P, 80, 10, 100) 10.0.0.1-10 ${P}\n}\n"
                + "virtual_server group G {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.0.1.1 80 {\n }\n}\n");
        List<VirtualServerGroup.Entry> e = c.virtualServerGroups().get(0).entries();
        assertEquals(3, e.size());
        assertEquals(100, e.get(2).port());
        assertEquals("10.0.0.10", e.get(0).last().getHostAddress());
    }

    @Test
    void seqBoundsTakeParametersAndCNumbers() {
        // keepalived 2.2.7 substitutes $NAME in ~SEQ's bounds and reads them with strtol(.., 0)
        KeepalivedConfig c = ok("$MAX=3\nstatic_ipaddress {\n ~SEQ(N, 1, $MAX) 10.0.0.${N}/32 dev eth0\n"
                + " ~SEQ(M, 010) 10.0.1.${M}/32 dev eth0\n ~SEQ(H, 0x10, 0x11) 10.0.2.${H}/32 dev eth0\n}\n");
        assertEquals(3 + 8 + 2, c.staticIpaddress().size());
        assertEquals("10.0.1.8", c.staticIpaddress().get(10).address().getHostAddress());
        assertEquals("10.0.2.17", c.staticIpaddress().get(12).address().getHostAddress());
    }
}
