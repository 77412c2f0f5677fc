package dev.seedloop.cli.client;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The useful part of an RFC 9457 problem+json answer. Read leniently: a proxy or a framework may answer
 * an error with any body (or none), and the user must still get a readable line.
 *
 * @param violations        for 400: each problem of the input with its path (empty otherwise)
 * @param retryAfterSeconds for 429, when the body says so (the header is read separately)
 * @param reason            a stable code of why an input was refused, when the gateway names one (a refused
 *                          workspace upload: {@code symlink-escapes}, {@code limit-exceeded}, ...)
 */
public record Problem(String title, int status, String detail, List<Violation> violations, Long retryAfterSeconds,
                      String reason) {

    public Problem {
        violations = List.copyOf(violations);
    }

    /** One problem of a rejected input: where it is ({@code budget.parallelism}) and what is wrong. */
    public record Violation(String path, String message) {

        @Override
        public String toString() {
            return path == null || path.isBlank() ? message : path + ": " + message;
        }
    }

    public static Problem parse(int status, String body) {
        JsonNode tree = null;
        if (body != null && body.trim().startsWith("{")) {
            try {
                tree = Json.tree(body);
            } catch (CliException notJson) {
                // a broken body: fall through to the status alone
            }
        }
        if (tree == null || !tree.isObject()) {
            return new Problem(null, status, null, List.of(), null, null);
        }
        List<Violation> violations = new ArrayList<>();
        // The contract names them `violations`; the gateway's first version said `errors`.
        for (String member : List.of("violations", "errors")) {
            for (JsonNode v : tree.path(member)) {
                violations.add(v.isTextual() ? new Violation(null, v.asText())
                        : new Violation(text(v, "path"), text(v, "message")));
            }
        }
        JsonNode retry = tree.path("retryAfterSeconds");
        return new Problem(text(tree, "title"), tree.path("status").asInt(status), text(tree, "detail"), violations,
                retry.canConvertToLong() ? retry.asLong() : null, text(tree, "reason"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
