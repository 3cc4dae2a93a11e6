package org.jkeepalived.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Config text → expected dump: src/test/resources/golden/NAME.conf must give NAME.yaml exactly (the
 * diagnostics first, as comments, then the YAML model). Regenerate after an intended change with
 * {@code -Dgolden.update=true} and review the diff.
 */
class GoldenTest {
    static final Path DIR = Path.of("src/test/resources/golden");

    static String render(String name, String text) {
        LoadResult r = ConfigLoader.parse(text, name, new LoadOptions(false, "main", java.util.Map.of()));
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : r.diagnostics()) sb.append("# ").append(d.format().replace("\n", "\n# ")).append('\n');
        sb.append(r.config() == null ? "# no model: errors\n" : ConfigMapper.toYaml(r.config()));
        return sb.toString();
    }

    @TestFactory
    Stream<DynamicTest> goldenDumps() throws IOException {
        List<Path> confs;
        try (Stream<Path> s = Files.list(DIR)) {
            confs = s.filter(p -> p.toString().endsWith(".conf")).sorted().collect(Collectors.toList());
        }
        assertFalse(confs.isEmpty());
        boolean update = Boolean.getBoolean("golden.update");
        return confs.stream().map(conf -> DynamicTest.dynamicTest(conf.getFileName().toString(), () -> {
            String name = conf.getFileName().toString();
            String text = Files.readString(conf, StandardCharsets.UTF_8);
            String actual = render(name, text);
            Path expectedFile = DIR.resolve(name.replace(".conf", ".yaml"));
            if (update || !Files.exists(expectedFile)) {
                Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual);
            LoadResult r = ConfigLoader.parse(text, name, new LoadOptions(false, "main", java.util.Map.of()));
            KeepalivedConfig c = r.config();
            assertNotNull(c, "golden configs are valid");
            assertTrue(r.errors().isEmpty());
            assertEquals(c, ConfigMapper.fromYaml(ConfigMapper.toYaml(c)));
        }));
    }
}
