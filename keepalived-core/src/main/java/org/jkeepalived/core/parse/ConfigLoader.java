package org.jkeepalived.core.parse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jkeepalived.core.config.KeepalivedConfig;

/**
 * Loads a keepalived.conf (or its YAML / JSON dump) into the typed model. Every problem becomes a
 * {@link Diagnostic} with file and line; only I/O errors on the top file itself are thrown.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    public static LoadResult load(Path file, LoadOptions options) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase();
        if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
            return loadDump(file, name.endsWith(".json"));
        }
        Diags diags = new Diags();
        TreeBuilder tree = new TreeBuilder(diags);
        Preprocessor pre = new Preprocessor(diags, tree, options);
        pre.topFile(file, file.toString());
        return finish(tree, diags, options);
    }

    /** Parses config text as if read from {@code fileName} (includes are relative to its directory). */
    public static LoadResult parse(String text, String fileName, LoadOptions options) {
        Diags diags = new Diags();
        TreeBuilder tree = new TreeBuilder(diags);
        Preprocessor pre = new Preprocessor(diags, tree, options);
        Path dir = null;
        try {
            Path p = Path.of(fileName).toAbsolutePath().normalize();
            dir = p.getParent();
        } catch (RuntimeException e) {
            // an odd file name: includes are then relative to the working directory
        }
        try {
            pre.text(text, fileName, dir);
        } catch (RuntimeException | StackOverflowError e) {
            diags.add(Diagnostic.Severity.ERROR, new SourcePos(fileName, 1, 1), "cannot read config: " + e, null);
        }
        return finish(tree, diags, options);
    }

    private static LoadResult finish(TreeBuilder tree, Diags diags, LoadOptions options) {
        KeepalivedConfig config = null;
        List<Node> root = tree.finish();
        try {
            config = new ConfigParser(diags, options).parse(root);
        } catch (RuntimeException | StackOverflowError e) {
            SourcePos at = root.isEmpty() ? new SourcePos("?", 1, 1) : root.get(0).kw.pos();
            diags.add(Diagnostic.Severity.ERROR, at, "cannot parse config: " + e, null);
        }
        return new LoadResult(diags.hasErrors() ? null : config, diags.result());
    }

    private static LoadResult loadDump(Path file, boolean json) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        try {
            KeepalivedConfig c = json ? ConfigMapper.fromJson(text) : ConfigMapper.fromYaml(text);
            if (c.globalDefs() == null) {
                // a hand-written dump may leave global_defs out, as a .conf may
                c = new KeepalivedConfig(ConfigParser.defaultGlobalDefs(), c.staticIpaddress(), c.staticRoutes(),
                        c.staticRules(), c.vrrpScripts(), c.trackFiles(), c.vrrpSyncGroups(), c.vrrpInstances(),
                        c.virtualServerGroups(), c.virtualServers(), c.otherBlocks(), c.bfdInstances());
            }
            return new LoadResult(c, List.of());
        } catch (IOException | RuntimeException e) {
            int line = 1, col = 1;
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                com.fasterxml.jackson.core.JsonLocation loc = ((com.fasterxml.jackson.core.JsonProcessingException) e).getLocation();
                if (loc != null && loc.getLineNr() > 0) {
                    line = loc.getLineNr();
                    col = Math.max(1, loc.getColumnNr());
                }
            }
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException
                    ? ((com.fasterxml.jackson.core.JsonProcessingException) e).getOriginalMessage() : e.toString();
            return new LoadResult(null, List.of(new Diagnostic(Diagnostic.Severity.ERROR,
                    new SourcePos(file.toString(), line, col), "invalid " + (json ? "JSON" : "YAML") + " config: " + msg, null)));
        }
    }
}
