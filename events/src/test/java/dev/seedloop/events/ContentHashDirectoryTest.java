package dev.seedloop.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentHashDirectoryTest {

    @Test
    void aTreeHashesTheSameWhereverItLivesAndChangesWithAnyEditOrRename(@TempDir Path tmp) throws Exception {
        Path a = tree(tmp.resolve("a"));
        Path b = tree(tmp.resolve("b"));
        String original = ContentHash.ofDirectory(a);

        assertThat(ContentHash.ofDirectory(b)).isEqualTo(original).startsWith("sha256:");

        Files.writeString(b.resolve("src/main.sh"), "echo 2\n");
        assertThat(ContentHash.ofDirectory(b)).isNotEqualTo(original);

        Path c = tree(tmp.resolve("c"));
        Files.move(c.resolve("tests/t.sh"), c.resolve("tests/u.sh"));
        assertThat(ContentHash.ofDirectory(c)).isNotEqualTo(original);
    }

    private static Path tree(Path root) throws Exception {
        Files.createDirectories(root.resolve("src"));
        Files.createDirectories(root.resolve("tests"));
        Files.writeString(root.resolve("src/main.sh"), "echo 1\n");
        Files.writeString(root.resolve("tests/t.sh"), "test 1 -eq 1\n");
        return root;
    }
}
