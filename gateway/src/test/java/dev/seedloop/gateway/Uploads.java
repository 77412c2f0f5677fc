package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import dev.seedloop.artifacts.ArchiveLimits;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreePacker;
import dev.seedloop.infra.PostgresServer;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.SharedInfrastructure;
import dev.seedloop.testsupport.Tokens;

/** Workspaces and archives for the gateway's tests: packed as the CLI packs them, or hand-made and hostile. */
final class Uploads {

    static final ArchiveLimits LIMITS = new ArchiveLimits(256L << 20, 20_000, 64L << 20, 200);

    private Uploads() {
    }

    /** A small project with a nested file, an executable, a link inside it and a marker unique to this call. */
    static Path project(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("src/pkg"));
        Files.writeString(dir.resolve("README.md"), "marker " + UUID.randomUUID() + "\n");
        Files.writeString(dir.resolve("src/pkg/model.py"), "ALPHA = 0.5\n");
        Path run = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho '{\"loss\": 1}'\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dir.resolve("model.py"), Path.of("src/pkg/model.py"));
        return dir;
    }

    /** The directory's tree, computed locally as the CLI does (no store). */
    static Tree localTree(Path dir) throws IOException {
        return new TreePacker(LIMITS).tree(dir);
    }

    static byte[] tarGz(Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TreePacker(LIMITS).pack(dir, out);
        return out.toByteArray();
    }

    /** The same directory as a zip with Unix modes (files, executables and links), as common zip tools write it. */
    static byte[] zip(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes);
                var walk = Files.walk(dir)) {
            for (Path file : walk.sorted().toList()) {
                String name = dir.relativize(file).toString().replace('\\', '/');
                if (name.isEmpty()) {
                    continue;
                }
                if (Files.isSymbolicLink(file)) {
                    ZipArchiveEntry entry = new ZipArchiveEntry(name);
                    entry.setUnixMode(0120777);
                    zip.putArchiveEntry(entry);
                    zip.write(Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8));
                } else if (Files.isDirectory(file)) {
                    ZipArchiveEntry entry = new ZipArchiveEntry(name + "/");
                    entry.setUnixMode(040755);
                    zip.putArchiveEntry(entry);
                } else {
                    ZipArchiveEntry entry = new ZipArchiveEntry(name);
                    entry.setUnixMode(Files.isExecutable(file) ? 0100755 : 0100644);
                    zip.putArchiveEntry(entry);
                    Files.copy(file, zip);
                }
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A tar.gz whose entries a test writes by hand (hostile names, links, FIFOs). */
    interface TarWriter {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    static byte[] tarGz(TarWriter writer) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream gzip = new GzipCompressorOutputStream(bytes);
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, StandardCharsets.UTF_8.name())) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                writer.write(tar);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(bytes.length);
        entry.setMode(0100644);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    static void special(TarArchiveOutputStream tar, String name, byte type, String linkName) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        if (linkName != null) {
            entry.setLinkName(linkName);
        }
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    static final byte SYMLINK = TarConstants.LF_SYMLINK;
    static final byte FIFO = TarConstants.LF_FIFO;

    /** A zip of one entry of {@code mib} MiB of zeros: deflate shrinks it about a thousand times. */
    static byte[] zipBomb(int mib) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry entry = new ZipArchiveEntry("zeros.bin");
            entry.setUnixMode(0100644);
            zip.putArchiveEntry(entry);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < mib; i++) {
                zip.write(zeros);
            }
            zip.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    /** Uploads as {@code user}; the tree hash it was answered (201 or 200). */
    static String upload(String user, byte[] archive, String contentType) {
        return given().auth().oauth2(Tokens.reused(user)).contentType(contentType).body(archive)
                .when().post("/api/v1/workspaces")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(201),
                        org.hamcrest.Matchers.is(200)))
                .extract().path("tree");
    }

    /** Rows of the artifact store's trees and owners, read as the server's superuser: proof that nothing was stored. */
    static long storedTreesAndGrants() {
        PostgresServer postgres = SharedInfrastructure.postgres();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(PostgresTestResource.DATABASE),
                postgres.username(), postgres.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select (select count(*) from artifacts.tree)"
                        + " + (select count(*) from artifacts.tree_owner)")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
