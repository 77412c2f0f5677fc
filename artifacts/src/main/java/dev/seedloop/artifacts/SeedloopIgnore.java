package dev.seedloop.artifacts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a {@code .seedloopignore} file: a subset of {@code .gitignore}, matched against paths relative to the
 * directory being packed (case-sensitively). Supported, exactly:
 * <ul>
 *   <li>blank lines and lines starting with {@code #} are ignored; trailing spaces are trimmed;</li>
 *   <li>{@code name} (no {@code /} but a trailing one) matches a file or directory of that name at any depth;</li>
 *   <li>a pattern with a {@code /} at its start or in its middle is anchored at the root ({@code /build},
 *       {@code docs/out});</li>
 *   <li>a trailing {@code /} matches directories only ({@code target/});</li>
 *   <li>{@code *} matches any characters but {@code /}, {@code ?} one character but {@code /}, and {@code **} as a
 *       whole segment any number of directories ({@code **}{@code /cache}, {@code logs/**}, {@code a/**}{@code /b});</li>
 *   <li>{@code !pattern} re-includes what an earlier pattern excluded; the last matching line wins. As in git, a file
 *       cannot be re-included when a directory above it is excluded (that directory is not entered).</li>
 * </ul>
 * Not supported: character classes ({@code [abc]}), backslash escapes and nested ignore files; such characters are
 * taken literally. The {@code .git} directory is always ignored; the ignore file itself is packed.
 */
public final class SeedloopIgnore {

    /** The name of the ignore file at the root of a packed directory. */
    public static final String FILE_NAME = ".seedloopignore";

    private record Rule(Pattern pattern, boolean negated, boolean directoryOnly) {
    }

    private static final SeedloopIgnore NONE = new SeedloopIgnore(List.of());

    private final List<Rule> rules;

    private SeedloopIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    public static SeedloopIgnore none() {
        return NONE;
    }

    /** The rules of {@code root/.seedloopignore}, or none when there is no such regular file. */
    public static SeedloopIgnore load(Path root) throws IOException {
        Path file = root.resolve(FILE_NAME);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return NONE;
        }
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    public static SeedloopIgnore parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.stripTrailing();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean negated = line.startsWith("!");
            if (negated) {
                line = line.substring(1);
            }
            boolean directoryOnly = line.endsWith("/");
            if (directoryOnly) {
                line = line.substring(0, line.length() - 1);
            }
            boolean anchored = line.contains("/");
            if (line.startsWith("/")) {
                line = line.substring(1);
            }
            if (line.isEmpty()) {
                continue;
            }
            String regex = (anchored ? "" : "(?:.*/)?") + toRegex(line);
            rules.add(new Rule(Pattern.compile(regex), negated, directoryOnly));
        }
        return new SeedloopIgnore(List.copyOf(rules));
    }

    private static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        String[] segments = glob.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals("**")) {
                // "**/" is zero or more directories; a final "**" is everything below.
                regex.append(last ? ".*" : "(?:.*/)?");
                continue;
            }
            for (char c : segment.toCharArray()) {
                switch (c) {
                    case '*' -> regex.append("[^/]*");
                    case '?' -> regex.append("[^/]");
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            if (!last) {
                regex.append('/');
            }
        }
        return regex.toString();
    }

    /** Whether {@code relative} ({@code /}-separated, relative to the root) is ignored. */
    public boolean ignores(String relative, boolean directory) {
        if (directory && (relative.equals(".git") || relative.endsWith("/.git"))) {
            return true;
        }
        boolean ignored = false;
        for (Rule rule : rules) {
            if ((!rule.directoryOnly || directory) && rule.pattern.matcher(relative).matches()) {
                ignored = !rule.negated;
            }
        }
        return ignored;
    }
}
