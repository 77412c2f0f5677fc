package dev.seedloop.implementer.application;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Removing what experiments leave behind: they may make directories read-only and plant links anywhere. */
final class FileTrees {

    private static final Set<PosixFilePermission> OWNER_ALL = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private FileTrees() {
    }

    /**
     * Deletes {@code root} and everything below it; nothing happens when it does not exist. Links are deleted,
     * never followed. Directories the experiment made read-only are made accessible to their owner first (root
     * needs no such help; another user can delete what the sandbox wrote as it, since it ran as that user).
     */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                ownerMayChange(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                // A directory without read permission cannot even be listed until its owner may read it.
                if (failure instanceof AccessDeniedException && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    ownerMayChange(file);
                    deleteTree(file);
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void ownerMayChange(Path dir) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (!perms.containsAll(OWNER_ALL)) {
            perms.addAll(OWNER_ALL);
            Files.setPosixFilePermissions(dir, perms);
        }
    }

    /**
     * Copies {@code from} into the existing directory {@code to}: links as links (never followed), directories with
     * their permissions, regular files with their attributes.
     *
     * @throws IOException naming it when {@code from} holds a FIFO, socket or device, which is never opened
     */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path src : (Iterable<Path>) walk::iterator) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (src.equals(from)) {
                    continue;
                }
                if (Files.isSymbolicLink(src)) {
                    Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
                } else if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(dst);
                    Files.setPosixFilePermissions(dst, Files.getPosixFilePermissions(src, LinkOption.NOFOLLOW_LINKS));
                } else if (Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                } else {
                    // Never opened: a FIFO would block the copy, a device would copy the host's hardware.
                    throw new IOException("the base workspace holds a " + WorkspaceMaterializer.specialType(src) + " at "
                            + from.relativize(src) + "; a workspace holds only files, directories and links");
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

}
