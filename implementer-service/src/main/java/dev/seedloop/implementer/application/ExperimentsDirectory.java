package dev.seedloop.implementer.application;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * Where this instance keeps experiment workspaces: {@code <data-dir>/experiments/<experiment-id>}, and, when
 * asked to keep them, finished ones in {@code <data-dir>/kept/}. Opening it locks the data directory (one
 * instance per directory) and empties {@code experiments/}: nothing runs yet, so whatever is there was left by
 * a run that died (kill -9, power loss). Its proposal was never acknowledged, so it is redelivered and runs
 * afresh in a new copy.
 */
public final class ExperimentsDirectory implements AutoCloseable {

    static final String LOCK_FILE = "implementer.lock";
    private static final Logger LOG = Logger.getLogger(ExperimentsDirectory.class);

    private final Path experiments;
    private final Path kept;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private ExperimentsDirectory(Path experiments, Path kept, FileChannel lockChannel, FileLock lock) {
        this.experiments = experiments;
        this.kept = kept;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * @throws IllegalStateException if another process (or another open of this JVM) holds the data directory
     */
    public static ExperimentsDirectory open(Path dataDir) throws IOException {
        Path root = dataDir.toAbsolutePath().normalize();
        searchableDirectory(root);
        FileChannel channel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another implementer uses the data directory " + root
                    + ": give each instance its own seedloop.implementer.data-dir");
        }
        Path experiments = searchableDirectory(root.resolve("experiments"));
        Path kept = root.resolve("kept");
        ExperimentsDirectory directory = new ExperimentsDirectory(experiments, kept, channel, lock);
        directory.removeLeftovers();
        return directory;
    }

    /** Where each running experiment gets its own directory. */
    public Path experiments() {
        return experiments;
    }

    /** Where finished workspaces go when they are kept for debugging; never emptied by the service. */
    public Path kept() {
        return kept;
    }

    /** Moves a finished experiment's workspace to {@link #kept()}, replacing an older copy of the same experiment. */
    public Path keep(Path workspace) throws IOException {
        Files.createDirectories(kept);
        Path target = kept.resolve(workspace.getFileName());
        FileTrees.deleteTree(target);
        if (!DiskVolumes.isMounted(workspace)) {
            return Files.move(workspace, target);
        }
        // A volume's mount point cannot be renamed: its content is copied out and the volume released.
        Files.createDirectories(target);
        FileTrees.copyTree(workspace, target);
        WorkspaceMaterializer.release(workspace);
        return target;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    private void removeLeftovers() throws IOException {
        // A volume still mounted would keep its directory from being removed.
        DiskVolumes.releaseAllUnder(experiments);
        List<Path> leftovers;
        try (Stream<Path> entries = Files.list(experiments)) {
            leftovers = entries.toList();
        }
        for (Path leftover : leftovers) {
            FileTrees.deleteTree(leftover);
        }
        if (!leftovers.isEmpty()) {
            LOG.infof("removed %d experiment workspace(s) left by an earlier run that did not end; their proposals"
                    + " are redelivered and run again", leftovers.size());
        }
    }

    /** The sandbox user must be able to pass through to the workspaces below. */
    private static Path searchableDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }
}
