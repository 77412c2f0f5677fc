package dev.seedloop.deployment.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A Java base image built on this machine, for a test that cannot pull one: a minimal Debian root filesystem
 * ({@code mmdebstrap}: the C library and zlib, from the host's own apt sources) and a Java runtime linked by
 * {@code jlink} from the JDK running the test, at {@code /opt/java/openjdk} as in Temurin's images. Written as an OCI
 * image layout (two gzip layers, config, manifest, index) and pushed to a registry with {@code skopeo copy}.
 */
final class OciBaseImage {

    static final String JAVA_HOME_IN_IMAGE = "/opt/java/openjdk";
    static final String PATH_IN_IMAGE = "PATH=" + JAVA_HOME_IN_IMAGE + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** What a Quarkus service on the JVM loads; the test never runs the JVM, but the runtime should be one that could. */
    private static final String RUNTIME_MODULES = String.join(",", "java.base", "java.logging", "java.management",
            "java.naming", "java.net.http", "java.security.jgss", "java.security.sasl", "java.sql", "java.xml",
            "java.instrument", "jdk.unsupported", "jdk.management", "jdk.zipfs", "jdk.naming.dns");
    private static final String LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path layout;
    private final String tag;

    private OciBaseImage(Path layout, String tag) {
        this.layout = layout;
        this.tag = tag;
    }

    /**
     * Builds the image in {@code directory}: the root filesystem and the runtime concurrently (both mostly wait on the
     * network or the disk), then the layout.
     */
    static OciBaseImage build(Path directory, Path javaHome, String tag) throws Exception {
        Path rootfs = directory.resolve("rootfs.tar");
        Path runtimeTree = directory.resolve("runtime");
        Path runtime = directory.resolve("runtime.tar");
        Path debianLog = directory.resolve("mmdebstrap.log");
        Process debian = Commands.start(debianRootfs(rootfs), directory, debianLog);
        try {
            Commands.run(List.of(javaHome.resolve("bin/jlink").toString(), "--add-modules", RUNTIME_MODULES,
                            "--no-header-files", "--no-man-pages",
                            "--output", runtimeTree.resolve(JAVA_HOME_IN_IMAGE.substring(1)).toString()),
                    directory, directory.resolve("jlink.log"), 300);
            Commands.run(List.of("tar", "--create", "--file", runtime.toString(), "--directory",
                            runtimeTree.toString(), "--owner=0", "--group=0", "--numeric-owner", "opt"),
                    directory, directory.resolve("tar.log"), 120);
            if (!debian.waitFor(300, TimeUnit.SECONDS)) {
                throw new AssertionError("mmdebstrap did not finish within 300 s:%n%s".formatted(Commands.tail(debianLog)));
            }
            if (debian.exitValue() != 0) {
                throw new AssertionError("mmdebstrap exited with %d:%n%s".formatted(debian.exitValue(),
                        Commands.tail(debianLog)));
            }
        } finally {
            if (debian.isAlive()) {
                debian.destroyForcibly();
            }
        }
        Path layout = Files.createDirectories(directory.resolve("layout"));
        writeLayout(layout, tag, List.of(rootfs, runtime));
        return new OciBaseImage(layout, tag);
    }

    /** Pushes the image to {@code registry} as {@code repository:tag}; returns that reference. */
    String push(LocalRegistry registry, String repository, Path log) {
        String reference = registry.host() + "/" + repository + ":" + tag;
        Commands.run(List.of("skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":" + tag,
                "docker://" + reference), layout, log, 300);
        return reference;
    }

    /**
     * Debian's minimal tree in the host's release and from the host's apt sources (so a mirror or proxy the host uses
     * is used here too): only the packages a JVM links against, unpacked (no shell, no package manager).
     */
    private static List<String> debianRootfs(Path rootfs) throws IOException {
        List<String> command = new ArrayList<>(List.of("mmdebstrap", "--quiet", "--variant=extract",
                "--include=libc6,zlib1g", "--format=tar", hostRelease(), rootfs.toString()));
        Path sources = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(sources)) {
            try (Stream<Path> files = Files.list(sources)) {
                files.filter(file -> file.getFileName().toString().endsWith(".sources"))
                        .sorted()
                        .forEach(file -> command.add(file.toString()));
            }
        }
        Path list = Path.of("/etc/apt/sources.list");
        if (Files.isRegularFile(list) && Files.readAllLines(list).stream().anyMatch(line -> line.startsWith("deb "))) {
            command.add(list.toString());
        }
        return command;
    }

    private static String hostRelease() throws IOException {
        Path osRelease = Path.of("/etc/os-release");
        if (Files.isRegularFile(osRelease)) {
            for (String line : Files.readAllLines(osRelease)) {
                if (line.startsWith("VERSION_CODENAME=") && line.length() > "VERSION_CODENAME=".length()) {
                    return line.substring("VERSION_CODENAME=".length()).replace("\"", "");
                }
            }
        }
        return "stable";
    }

    private static void writeLayout(Path layout, String tag, List<Path> layerTars) throws IOException {
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        List<Map<String, Object>> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (Path tar : layerTars) {
            Blob layer = gzipLayer(tar, blobs);
            layers.add(descriptor(LAYER_MEDIA_TYPE, layer.digest(), layer.size()));
            diffIds.add(layer.diffId());
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", architecture());
        config.put("os", "linux");
        config.put("config", Map.of(
                "Env", List.of(PATH_IN_IMAGE, "JAVA_HOME=" + JAVA_HOME_IN_IMAGE, "LANG=C.UTF-8"),
                "Labels", Map.of("org.opencontainers.image.title", "seedloop test base: Debian and a jlinked JRE")));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
        Blob configBlob = writeBlob(JSON.writeValueAsBytes(config), blobs);

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST_MEDIA_TYPE);
        manifest.put("config", descriptor("application/vnd.oci.image.config.v1+json", configBlob.digest(),
                configBlob.size()));
        manifest.put("layers", layers);
        Blob manifestBlob = writeBlob(JSON.writeValueAsBytes(manifest), blobs);

        Map<String, Object> entry = descriptor(MANIFEST_MEDIA_TYPE, manifestBlob.digest(), manifestBlob.size());
        entry.put("annotations", Map.of("org.opencontainers.image.ref.name", tag));
        Files.write(layout.resolve("index.json"),
                JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "manifests", List.of(entry))));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", digest);
        descriptor.put("size", size);
        return descriptor;
    }

    /** The layer compressed (fastest level: the registry is local) with its digest and its uncompressed diff id. */
    private static Blob gzipLayer(Path tar, Path blobs) throws IOException {
        MessageDigest uncompressed = sha256();
        MessageDigest compressed = sha256();
        Path partial = blobs.resolve("partial");
        try (InputStream in = new DigestInputStream(Files.newInputStream(tar), uncompressed);
                OutputStream out = new FastGzip(new DigestOutputStream(Files.newOutputStream(partial), compressed))) {
            in.transferTo(out);
        }
        String digest = "sha256:" + HexFormat.of().formatHex(compressed.digest());
        long size = Files.size(partial);
        Files.move(partial, blobs.resolve(digest.substring("sha256:".length())), StandardCopyOption.REPLACE_EXISTING);
        return new Blob(digest, size, "sha256:" + HexFormat.of().formatHex(uncompressed.digest()));
    }

    private static Blob writeBlob(byte[] content, Path blobs) throws IOException {
        String hex = HexFormat.of().formatHex(sha256().digest(content));
        Files.write(blobs.resolve(hex), content);
        return new Blob("sha256:" + hex, content.length, null);
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Blob(String digest, long size, String diffId) {
    }

    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
