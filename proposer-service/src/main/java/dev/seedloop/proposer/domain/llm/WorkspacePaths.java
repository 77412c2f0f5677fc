package dev.seedloop.proposer.domain.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Paths a model writes, made comparable with the tree's paths before any check: surrounding quotes and backticks are
 * dropped, {@code .} and empty segments removed and {@code a/../b} resolved to {@code b}. A path that is absolute,
 * uses a backslash or a control character, or climbs above the workspace root has no normal form: it is refused,
 * never repaired, since it says the model aims outside the tree.
 *
 * <p>Protected paths follow {@code FilePatch.touches} (a file, or a directory with or without its trailing '/'
 * covering everything below it), compared case-folded like the artifact store's {@code ProtectedPaths}, so a path
 * that only differs in case from a protected one is protected too (it is the same file on macOS and Windows).
 */
public final class WorkspacePaths {

    private WorkspacePaths() {
    }

    /** The normal form of {@code raw}, or empty when it is not a path inside the workspace. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String path = raw.strip();
        while (path.length() >= 2 && isQuote(path.charAt(0)) && path.charAt(path.length() - 1) == path.charAt(0)) {
            path = path.substring(1, path.length() - 1).strip();
        }
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.matches("^[A-Za-z]:.*")
                || path.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
            return Optional.empty();
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    return Optional.empty();
                }
                segments.remove(segments.size() - 1);
                continue;
            }
            segments.add(segment);
        }
        return segments.isEmpty() ? Optional.empty() : Optional.of(String.join("/", segments));
    }

    /** The protected pattern (as given) that covers the normalised {@code path}, if any. */
    public static Optional<String> protectingPattern(String path, List<String> protectedPaths) {
        String folded = fold(path);
        for (String pattern : protectedPaths) {
            Optional<String> guarded = normalise(pattern);
            if (guarded.isEmpty()) {
                continue;
            }
            String root = fold(guarded.get());
            if (folded.equals(root) || folded.startsWith(root + "/")) {
                return Optional.of(pattern);
            }
        }
        return Optional.empty();
    }

    public static boolean isProtected(String path, List<String> protectedPaths) {
        return protectingPattern(path, protectedPaths).isPresent();
    }

    private static boolean isQuote(char c) {
        return c == '`' || c == '"' || c == '\'';
    }

    private static String fold(String value) {
        return value.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }
}
