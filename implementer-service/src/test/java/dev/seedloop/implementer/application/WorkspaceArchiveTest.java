package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workspace a pod reports is what the experiment wrote: unpacking it must not write outside the local workspace,
 * whatever the archive names (ADR 0026).
 */
class WorkspaceArchiveTest {

    @TempDir
    Path tmp;

    /** A tar.gz of a link {@code escape -> <outside>} and the given entry (a file with content "x"). */
    private static byte[] archive(String linkTarget, String fileName) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            if (linkTarget != null) {
                TarArchiveEntry link = new TarArchiveEntry("escape", TarArchiveEntry.LF_SYMLINK);
                link.setLinkName(linkTarget);
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            TarArchiveEntry file = new TarArchiveEntry(fileName, true);
            byte[] content = "x".getBytes(StandardCharsets.UTF_8);
            file.setSize(content.length);
            tar.putArchiveEntry(file);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void aWorkspaceRoundTripsWithItsExecutableBitsAndLinks() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Files.createDirectories(ws.resolve("src/pkg"));
        Files.writeString(ws.resolve("src/pkg/a.py"), "print(1)\n");
        Files.writeString(ws.resolve("run.sh"), "echo hi\n");
        ws.resolve("run.sh").toFile().setExecutable(true);
        Files.createSymbolicLink(ws.resolve("latest"), Path.of("src/pkg/a.py"));
        Path back = Files.createDirectories(tmp.resolve("back"));
        Files.writeString(back.resolve("stale.txt"), "from before");

        WorkspaceArchive.replaceContent(back, WorkspaceArchive.pack(ws, 1 << 20), 1 << 20);

        assertThat(back.resolve("src/pkg/a.py")).hasContent("print(1)");
        assertThat(Files.isExecutable(back.resolve("run.sh"))).isTrue();
        assertThat(Files.readSymbolicLink(back.resolve("latest"))).isEqualTo(Path.of("src/pkg/a.py"));
        assertThat(back.resolve("stale.txt")).doesNotExist();
    }

    @Test
    void entriesLeavingTheWorkspaceOrGoingThroughALinkAreRefused() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path ws = Files.createDirectories(tmp.resolve("ws"));

        assertThatThrownBy(() -> WorkspaceArchive.replaceContent(ws, archive(null, "../outside/planted"), 1 << 20))
                .hasMessageContaining("outside the workspace");
        assertThatThrownBy(() -> WorkspaceArchive.replaceContent(ws, archive(outside.toString(), "escape/planted"),
                1 << 20)).hasMessageContaining("below the link escape");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void packingStopsAtTheLimit() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        byte[] noise = new byte[64 * 1024];
        new java.util.Random(3).nextBytes(noise);
        Files.write(ws.resolve("noise"), noise);

        assertThatThrownBy(() -> WorkspaceArchive.pack(ws, 16 * 1024)).isInstanceOf(WorkspaceArchive.TooLarge.class);
    }
}
