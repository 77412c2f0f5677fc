package dev.seedloop.artifacts;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

/**
 * Paths a proposal's patch or an experiment must not write or delete (the validation suite, held-out data).
 *
 * <p>A pattern is a file or a directory ({@code tests/} or {@code tests}: both cover {@code tests} itself and
 * everything below it). Patterns and the paths checked are normalised by {@link TreePath} and compared on their
 * {@link TreePath#foldedKey() case-folded keys}, so {@code ./tests/x}, {@code tests//x} and {@code TESTS/x} are all
 * covered by {@code tests/}: what counts is the file the path reaches on any file system.
 */
public final class ProtectedPaths {

    private static final ProtectedPaths NONE = new ProtectedPaths(List.of(), List.of());

    private final List<String> patterns;
    private final List<TreePath> roots;

    private ProtectedPaths(List<String> patterns, List<TreePath> roots) {
        this.patterns = patterns;
        this.roots = roots;
    }

    /** @throws ArtifactRejectedException when a pattern is not a valid path (e.g. absolute or with {@code ..}) */
    public static ProtectedPaths of(Collection<String> patterns) {
        return new ProtectedPaths(List.copyOf(patterns), patterns.stream().map(TreePath::of).toList());
    }

    public static ProtectedPaths none() {
        return NONE;
    }

    /** The patterns as given. */
    public List<String> patterns() {
        return patterns;
    }

    /** The pattern (as given) that covers {@code path}, if any. */
    public Optional<String> coveringPattern(TreePath path) {
        for (int i = 0; i < roots.size(); i++) {
            if (path.isWithin(roots.get(i))) {
                return Optional.of(patterns.get(i));
            }
        }
        return Optional.empty();
    }

    public boolean covers(TreePath path) {
        return coveringPattern(path).isPresent();
    }

    /**
     * Normalises {@code raw} and checks it.
     *
     * @throws ArtifactRejectedException {@link Reason#PROTECTED_PATH} when covered, or the path's own reason
     */
    public TreePath requireWritable(String raw) {
        TreePath path = TreePath.of(raw);
        requireWritable(path, raw);
        return path;
    }

    void requireWritable(TreePath path, String asGiven) {
        Optional<String> pattern = coveringPattern(path);
        if (pattern.isPresent()) {
            throw new ArtifactRejectedException(Reason.PROTECTED_PATH, asGiven,
                    "'" + asGiven + "' is protected (pattern '" + pattern.get() + "')");
        }
    }
}
