package dev.seedloop.cli.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.seedloop.artifacts.ArchiveImport;
import dev.seedloop.artifacts.ArtifactRejectedException;
import dev.seedloop.artifacts.Materializer;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.GatewayClient;

/**
 * Writes a tree of the caller's team into a local directory. The gateway's archive is first read whole into a
 * private scratch store, under the same rules as an upload ({@link ArchiveImport}: no absolute paths, no
 * {@code ..}, no link leaving the tree, no devices, FIFOs or hard links, no duplicates, limits and compression ratio)
 * and must hash to the tree asked for; only then is the target written, by the {@link Materializer} (every file
 * created new, nothing followed through a link). A refused or altered archive therefore writes nothing at all.
 */
public final class WorkspaceCheckout {

    private final GatewayClient gateway;

    public WorkspaceCheckout(GatewayClient gateway) {
        this.gateway = gateway;
    }

    /**
     * Checks {@code target} before anything is downloaded: it must not exist (its parents are created) or be an
     * empty directory, not a link.
     *
     * @throws CliException {@link ExitCode#USAGE} otherwise
     */
    public static void requireUsableTarget(Path target) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(target, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isDirectory()) {
                throw new CliException(ExitCode.USAGE, target + " exists and is not a directory; checkout writes "
                        + "only into a new or empty directory");
            }
            try (Stream<Path> children = Files.list(target)) {
                if (children.findAny().isPresent()) {
                    throw new CliException(ExitCode.USAGE, target + " is not empty; checkout writes only into a new "
                            + "or empty directory");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + target, e);
        }
    }

    /**
     * Writes the tree {@code treeHash} into {@code target} and returns it.
     *
     * @throws CliException {@link ExitCode#USAGE} for an unusable target; {@link ExitCode#UNAVAILABLE} when the
     *     gateway's archive is refused, breaks off or is not the tree asked for (nothing is written then)
     */
    public Tree checkout(String treeHash, Path target) {
        requireUsableTarget(target);
        try (ScratchStore scratch = new ScratchStore()) {
            Tree tree = download(treeHash, scratch);
            write(scratch, tree, target);
            return tree;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check out into " + target, e);
        }
    }

    private Tree download(String treeHash, ScratchStore scratch) {
        Tree tree;
        try (InputStream archive = gateway.openWorkspaceArchive(treeHash)) {
            tree = new ArchiveImport(scratch, WorkspaceLimits.DEFAULT).importArchive(archive);
        } catch (ArtifactRejectedException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "Refused the gateway's archive of " + treeHash + ": "
                    + e.getMessage() + " (" + e.reason().code() + e.path().map(p -> ", " + p).orElse("")
                    + "); nothing was written", e);
        } catch (IOException | UncheckedIOException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "The archive of " + treeHash + " broke off: "
                    + e.getMessage() + "; nothing was written", e);
        }
        if (!tree.hash().equals(treeHash)) {
            throw new CliException(ExitCode.UNAVAILABLE, "The gateway's archive of " + treeHash + " holds the tree "
                    + tree.hash() + "; nothing was written");
        }
        return tree;
    }

    /** Materialises; if that fails half way, removes what it wrote so the target is as it was. */
    private static void write(ScratchStore scratch, Tree tree, Path target) throws IOException {
        boolean existed = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        Path parent = target.toAbsolutePath().getParent();
        if (!existed && parent != null) {
            Files.createDirectories(parent);
        }
        try {
            new Materializer(scratch).materialize(tree, target);
        } catch (DirectoryNotEmptyException e) {
            throw new CliException(ExitCode.USAGE, target + " is not empty; checkout writes only into a new or "
                    + "empty directory", e);
        } catch (IOException | RuntimeException e) {
            removeContents(target, !existed);
            throw e;
        }
    }

    /** Deletes, without following links, what the checkout created below {@code target} (and target if it made it). */
    private static void removeContents(Path target, boolean andTarget) {
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(target)) {
            List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path path : paths) {
                if (andTarget || !path.equals(target)) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException cleanupFailed) {
            // the original failure is what the user needs to see
        }
    }
}
