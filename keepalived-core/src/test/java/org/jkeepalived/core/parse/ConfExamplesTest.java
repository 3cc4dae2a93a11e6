package org.jkeepalived.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every shipped example loads without errors or unknown keywords and survives conf → YAML/JSON → model. */
class ConfExamplesTest {
    static final Path DIR = Path.of("../conf-examples");

    static List<Path> examples() throws IOException {
        if (!Files.isDirectory(DIR)) return List.of();
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".conf")).sorted().collect(Collectors.toList());
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExampleLoadsCleanly() throws IOException {
        List<Path> files = examples();
        assertFalse(files.isEmpty(), "no ../conf-examples/*.conf found");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            LoadResult r = ConfigLoader.load(f, LoadOptions.DEFAULT);
            String all = r.diagnostics().stream().map(Diagnostic::format).collect(Collectors.joining("\n"));
            assertTrue(r.errors().isEmpty(), "errors:\n" + all);
            assertTrue(r.diagnostics().stream().noneMatch(d -> d.message().startsWith("unknown keyword")),
                    "unknown keywords:\n" + all);
            KeepalivedConfig c = r.config();
            assertNotNull(c);
            assertEquals(c, ConfigMapper.fromYaml(ConfigMapper.toYaml(c)), "YAML round trip");
            assertEquals(c, ConfigMapper.fromJson(ConfigMapper.toJson(c)), "JSON round trip");
        }));
    }
}
