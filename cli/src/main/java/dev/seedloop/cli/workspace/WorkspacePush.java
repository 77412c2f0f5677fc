package dev.seedloop.cli.workspace;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.seedloop.artifacts.ArtifactRejectedException;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePacker;
import dev.seedloop.cli.client.ApiException;
import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.GatewayRecords.WorkspaceStored;

/**
 * Uploads a local directory as a workspace: its tree hash is computed locally first (honouring its
 * {@code .seedloopignore}), and only when the gateway does not know that tree for the team is the directory packed
 * into a temporary {@code .tar.gz} and sent. Pushing an unchanged directory again costs one read of its files and
 * one small request.
 */
public final class WorkspacePush {

    /**
     * What was pushed.
     *
     * @param uploaded false when the gateway had the tree already and nothing was sent
     */
    public record Pushed(Path directory, String tree, int files, long bytes, boolean uploaded) {
    }

    private final GatewayClient gateway;
    private final TreePacker packer = new TreePacker(WorkspaceLimits.DEFAULT);

    public WorkspacePush(GatewayClient gateway) {
        this.gateway = gateway;
    }

    /**
     * @throws CliException {@link ExitCode#USAGE} when {@code directory} is not a directory or holds something no
     *     workspace may (a link leaving it, a FIFO, a device, a path the gateway would refuse); the gateway's
     *     refusals as {@link ApiException}s
     */
    public Pushed push(Path directory) {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException(ExitCode.USAGE, "Not a directory: " + directory);
        }
        Tree local = pack(directory, null);
        if (known(local.hash())) {
            return pushed(directory, local, false);
        }
        Path archive = null;
        try {
            archive = Files.createTempFile("seedloop-workspace-", ".tar.gz",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Tree packed;
            try (OutputStream out = Files.newOutputStream(archive)) {
                packed = pack(directory, out);
            }
            WorkspaceStored stored = gateway.uploadWorkspace(archive).value();
            if (!packed.hash().equals(stored.tree())) {
                throw new CliException(ExitCode.UNEXPECTED, "The gateway stored " + directory + " as "
                        + stored.tree() + ", but its tree hash here is " + packed.hash()
                        + " (a CLI and gateway of different versions?)");
            }
            return pushed(directory, packed, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + directory, e);
        } finally {
            if (archive != null) {
                try {
                    Files.deleteIfExists(archive);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** Whether the caller's team already has this tree. */
    private boolean known(String tree) {
        try {
            gateway.workspace(tree);
            return true;
        } catch (ApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private Tree pack(Path directory, OutputStream out) {
        try {
            return packer.pack(directory, out);
        } catch (ArtifactRejectedException e) {
            throw new CliException(ExitCode.USAGE, "Cannot upload " + directory + ": " + e.getMessage()
                    + " (" + e.reason().code() + e.path().map(p -> ", " + p).orElse("") + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + directory, e);
        }
    }

    private static Pushed pushed(Path directory, Tree tree, boolean uploaded) {
        long bytes = tree.entries().stream().filter(e -> e.kind() != TreeEntry.Kind.SYMLINK)
                .mapToLong(TreeEntry::size).sum();
        return new Pushed(directory, tree.hash(), tree.entries().size(), bytes, uploaded);
    }
}
