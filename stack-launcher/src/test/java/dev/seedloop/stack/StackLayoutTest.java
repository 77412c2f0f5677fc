package dev.seedloop.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the implementer's experiments go: somewhere the sandbox's user can reach, or it refuses every run. */
class StackLayoutTest {

    @TempDir
    Path dir;

    @Test
    void aDataDirectoryEveryoneMaySearchIsKept() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(StackLayout.sandboxReachable(open.resolve("data/implementer")))
                .isEqualTo(open.resolve("data/implementer"));
    }

    @Test
    void underAPrivateDirectoryItMovesToTheTempDirectoryUnderANameOfItsOwn() throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path other = Files.createDirectory(dir.resolve("other"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));

        Path chosen = StackLayout.sandboxReachable(home.resolve("data/implementer"));

        assertThat(chosen).isNotEqualTo(home.resolve("data/implementer"))
                .startsWithRaw(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
        assertThat(chosen.getFileName().toString()).startsWith("seedloop-implementer-");
        assertThat(StackLayout.sandboxReachable(home.resolve("data/implementer"))).as("stable").isEqualTo(chosen);
        assertThat(StackLayout.sandboxReachable(other.resolve("data/implementer"))).as("per installation")
                .isNotEqualTo(chosen);
    }
}
