package dev.seedloop.gateway.domain;

/** A diff over the installation's {@code seedloop.gateway.workspaces.max-diff-bytes}: refused, not cut. */
public final class DiffTooLarge extends RuntimeException {

    public DiffTooLarge(long limit, int filesSoFar, int filesInAll) {
        super("the diff is larger than this installation's limit of " + limit + " bytes (reached after " + filesSoFar
                + " of " + filesInAll + " changed files); read the file list (.../tree), single files (.../files/PATH)"
                + " or check the code out with `seedloop checkout` instead");
    }
}
