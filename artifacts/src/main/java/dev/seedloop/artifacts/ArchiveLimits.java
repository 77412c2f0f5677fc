package dev.seedloop.artifacts;

/**
 * What one archive (or a captured directory) may hold, set by the caller from operator configuration.
 *
 * @param maxTotalBytes the sum of all files' uncompressed sizes
 * @param maxFiles the number of entries of any kind (files, links and directory entries)
 * @param maxFileBytes one file's uncompressed size
 * @param maxCompressionRatio how many times larger than its compressed bytes an archive (and a zip entry) may grow
 *     once decompressed; checked while streaming, once more than {@link #RATIO_FLOOR_BYTES} are decompressed, so a
 *     small, very compressible file is fine
 */
public record ArchiveLimits(long maxTotalBytes, int maxFiles, long maxFileBytes, int maxCompressionRatio) {

    /** Below this many decompressed bytes the ratio is not checked. */
    public static final long RATIO_FLOOR_BYTES = 1024 * 1024;

    public ArchiveLimits {
        if (maxTotalBytes <= 0 || maxFiles <= 0 || maxFileBytes <= 0 || maxCompressionRatio <= 0) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
    }
}
