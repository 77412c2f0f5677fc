package dev.seedloop.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a stored {@link Tree} into a fresh directory: every file is created new ({@code CREATE_NEW},
 * {@code NOFOLLOW_LINKS}), every directory created by this call, so nothing is ever written through a symbolic link
 * or into a file that was there before. Files get mode 0644 or 0755 as recorded; links are created last, as links.
 * Each file's bytes are checked against its blob hash and size as they are written.
 */
public final class Materializer {

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");

    private final ArtifactStore store;

    public Materializer(ArtifactStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * @param target a directory that does not exist yet (its parent must), or an empty one
     * @throws DirectoryNotEmptyException when {@code target} holds anything
     */
    public void materialize(Tree tree, Path target) throws IOException {
        prepare(target);
        List<TreeEntry> links = new ArrayList<>();
        for (TreeEntry entry : tree.entries()) {
            Path file = directoryFor(target, entry.path()).resolve(entry.path().name());
            if (entry.kind() == TreeEntry.Kind.SYMLINK) {
                links.add(entry);
                continue;
            }
            try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
                    OutputStream out = Channels.newOutputStream(channel);
                    InputStream in = store.openBlob(entry.blob())) {
                long written = in.transferTo(out);
                if (written != entry.size()) {
                    throw new IOException("blob " + entry.blob() + " has " + written + " bytes, the tree says "
                            + entry.size());
                }
            }
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (view != null) {
                view.setPermissions(entry.kind() == TreeEntry.Kind.EXECUTABLE ? EXECUTABLE : FILE);
            }
        }
        for (TreeEntry link : links) {
            String text = new String(store.readBlob(link.blob(), SymlinkTargets.MAX_TARGET_BYTES),
                    java.nio.charset.StandardCharsets.UTF_8);
            SymlinkTargets.check(link.path(), text);
            Files.createSymbolicLink(directoryFor(target, link.path()).resolve(link.path().name()), Paths.get(text));
        }
    }

    private static void prepare(Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(target);
            return;
        }
        BasicFileAttributes attributes = Files.readAttributes(target, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) {
            throw new IOException(target + " is not a directory");
        }
        try (Stream<Path> children = Files.list(target)) {
            if (children.findAny().isPresent()) {
                throw new DirectoryNotEmptyException(target.toString());
            }
        }
    }

    /** The entry's directory, created by this call where missing; an existing one must be a real directory. */
    private static Path directoryFor(Path target, TreePath path) throws IOException {
        Path directory = target;
        for (TreePath ancestor : path.ancestors()) {
            directory = directory.resolve(ancestor.name());
            if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.readAttributes(directory, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .isDirectory()) {
                    throw new IOException(directory + " is not a directory");
                }
            } else {
                Files.createDirectory(directory);
            }
        }
        return directory;
    }
}
