package dev.seedloop.cli.workspace;

import dev.seedloop.artifacts.ArchiveLimits;

/**
 * The CLI's own ceilings for a workspace it packs or checks out. They only keep a mistake (packing a home
 * directory, an archive that never ends) from running away on the user's machine: the gateway applies the
 * operator's limits to every upload and answers 413 above them, so these are deliberately generous.
 */
public final class WorkspaceLimits {

    /**
     * 4 GiB of files, 200,000 entries, 2 GiB for one file; an archive may decompress to at most 1,000 times its
     * size (a tree of very repetitive text compresses about 100-fold; a zip bomb by millions).
     */
    public static final ArchiveLimits DEFAULT = new ArchiveLimits(4L << 30, 200_000, 2L << 30, 1_000);

    private WorkspaceLimits() {
    }
}
