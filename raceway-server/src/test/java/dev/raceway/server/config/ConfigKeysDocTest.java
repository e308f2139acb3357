package dev.raceway.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key table of {@code docs/server.md} is {@link ConfigKeys} rendered: one source of truth. When a key changes,
 * this test fails and writes the corrected page to {@code raceway-server/target/docs/server.md} to copy over.
 */
class ConfigKeysDocTest {
    static final Path DOC = Path.of("..", "docs", "server.md");
    static final String BEGIN = "<!-- config-keys: generated from ConfigKeys (ConfigKeysDocTest checks it); edit "
            + "ConfigKeys, not this table -->";
    static final String END = "<!-- /config-keys -->";

    /** The table as the page shows it, between the markers. */
    static String table() {
        StringBuilder out = new StringBuilder();
        out.append("| Key | Default | Accepts | Meaning |\n|---|---|---|---|\n");
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            out.append("| `").append(key.path()).append('`').append(key.fromGuide() ? "" : " ⁺")
                    .append(" | ").append(key.defaultToml().map(t -> "`" + t + "`").orElse(key.defaultText()))
                    .append(" | ").append(key.allowedText())
                    .append(" | ").append(key.doc().replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.toString();
    }

    @Test
    void theKeyTableOfTheServerDocIsTheDeclaredKeys() throws IOException {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("%s has the marker %s", DOC, BEGIN).isNotNegative();
        assertThat(end).as("%s has the marker %s", DOC, END).isGreaterThan(begin);
        String expected = doc.substring(0, begin + BEGIN.length()) + "\n" + table() + doc.substring(end);
        if (!expected.equals(doc)) {
            Path corrected = Path.of("target", "docs", "server.md");
            Files.createDirectories(corrected.getParent());
            Files.writeString(corrected, expected);
        }
        assertThat(doc).as("docs/server.md's key table differs from ConfigKeys; the corrected page is in "
                + "raceway-server/target/docs/server.md").isEqualTo(expected);
    }

    @Test
    void everyKeyHasOneDocLineAndTheTableHasOneRowPerKey() {
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            assertThat(key.doc()).as("doc line of %s", key).isNotBlank().doesNotContain("\n");
        }
        List<String> rows = table().lines().skip(2).toList();
        assertThat(rows).hasSize(ConfigKeys.ALL.size());
    }
}
