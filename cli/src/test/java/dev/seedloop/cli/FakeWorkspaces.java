package dev.seedloop.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import com.sun.net.httpserver.HttpExchange;

import dev.seedloop.artifacts.ArchiveImport;
import dev.seedloop.artifacts.ArchiveLimits;
import dev.seedloop.artifacts.ArtifactRejectedException;
import dev.seedloop.artifacts.InMemoryArtifactStore;
import dev.seedloop.artifacts.Tree;

/**
 * The gateway's workspace endpoints on a {@link FakeGateway}, as the contract of issue #11 describes them: an upload
 * is read with the artifacts module's {@link ArchiveImport} (as the gateway does) and answered 201, or 200 when the
 * tree is known already; a known tree is listed, and its archive served back as it was uploaded (the CLI's archives
 * are reproducible). Tests may serve any bytes as a tree's archive ({@link #serveArchive}).
 */
final class FakeWorkspaces {

    static final String UPLOAD = "/api/v1/workspaces";

    private final FakeGateway gateway;
    private final InMemoryArtifactStore store = new InMemoryArtifactStore();
    private final Map<String, byte[]> archives = new ConcurrentHashMap<>();

    FakeWorkspaces(FakeGateway gateway) {
        this.gateway = gateway;
        gateway.route("POST", UPLOAD, this::upload);
    }

    /** Every archive the CLI uploaded, in order. */
    List<byte[]> uploads() {
        return gateway.requestsTo(UPLOAD).stream().filter(r -> r.method().equals("POST"))
                .map(FakeGateway.Request::bytes).toList();
    }

    /** The trees the stand-in computed from the uploads it accepted. */
    java.util.Set<String> storedTrees() {
        return archives.keySet();
    }

    /** Serves {@code archive} as the archive of {@code tree} (known to the team from now on). */
    void serveArchive(String tree, byte[] archive) {
        archives.put(tree, archive);
        routes(tree);
    }

    private void upload(FakeGateway.Request request, HttpExchange exchange) throws IOException {
        if (!"application/gzip".equals(request.header("Content-Type"))) {
            FakeGateway.respond(exchange, 415, "{\"title\":\"Unsupported Media Type\",\"status\":415}", Map.of());
            return;
        }
        Tree tree;
        try {
            tree = new ArchiveImport(store, new ArchiveLimits(1 << 26, 1000, 1 << 24, 100))
                    .importArchive(new ByteArrayInputStream(request.bytes()));
        } catch (ArtifactRejectedException e) {
            FakeGateway.respond(exchange, 400, "{\"title\":\"Workspace refused\",\"status\":400,\"detail\":\""
                    + e.getMessage().replace("\"", "'") + "\",\"reason\":\"" + e.reason().code() + "\"}", Map.of());
            return;
        }
        boolean known = archives.putIfAbsent(tree.hash(), request.bytes()) != null;
        routes(tree.hash());
        long bytes = tree.entries().stream().mapToLong(e -> e.size()).sum();
        FakeGateway.respond(exchange, known ? 200 : 201, "{\"tree\":\"" + tree.hash() + "\",\"files\":"
                + tree.entries().size() + ",\"bytes\":" + bytes + "}", Map.of());
    }

    private void routes(String tree) {
        gateway.json("GET", UPLOAD + "/" + tree, 200, "{\"tree\":\"" + tree + "\",\"files\":[]}");
        gateway.route("GET", UPLOAD + "/" + tree + "/archive", (request, exchange) -> {
            byte[] archive = archives.get(tree);
            exchange.getResponseHeaders().set("Content-Type", "application/gzip");
            exchange.sendResponseHeaders(200, archive.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(archive);
            }
        });
    }

    /** The names of the entries of a {@code .tar.gz}. */
    static List<String> entryNames(byte[] archive) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    /** One entry of a hand-made archive: a file with content, or a symbolic link to {@code linkTarget}. */
    record Entry(String name, String content, String linkTarget) {
        static Entry file(String name, String content) {
            return new Entry(name, content, null);
        }

        static Entry link(String name, String target) {
            return new Entry(name, null, target);
        }
    }

    /** A {@code .tar.gz} with exactly these entries, names as given (no checks: hostile archives). */
    static byte[] tarGz(Entry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry entry : entries) {
                if (entry.linkTarget() != null) {
                    TarArchiveEntry link = new TarArchiveEntry(entry.name(), TarArchiveEntry.LF_SYMLINK);
                    link.setLinkName(entry.linkTarget());
                    tar.putArchiveEntry(link);
                } else {
                    byte[] content = entry.content().getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry file = new TarArchiveEntry(entry.name(), true);
                    file.setSize(content.length);
                    file.setMode(0100644);
                    tar.putArchiveEntry(file);
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

}
