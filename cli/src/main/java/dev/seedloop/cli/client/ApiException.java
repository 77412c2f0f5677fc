package dev.seedloop.cli.client;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** An error answer of the gateway, turned into its exit code and one or two readable lines. */
public final class ApiException extends CliException {

    private static final Map<Integer, String> REASONS = Map.of(400, "Bad request", 401, "Not logged in",
            403, "Forbidden", 404, "Not found", 409, "Conflict", 429, "Too many requests",
            500, "Gateway error", 502, "Bad gateway", 503, "Gateway unavailable", 504, "Gateway timeout");

    private final int status;
    private final Problem problem;
    private final OptionalLong retryAfterSeconds;

    private ApiException(int status, Problem problem, OptionalLong retryAfterSeconds, String message,
                         List<String> details) {
        super(ExitCode.forStatus(status), message, details, null);
        this.status = status;
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException of(int status, HttpHeaders headers, String body) {
        Problem problem = Problem.parse(status, body);
        OptionalLong retryAfter = headers.firstValue("Retry-After")
                .filter(v -> v.trim().matches("\\d+"))
                .map(v -> OptionalLong.of(Long.parseLong(v.trim())))
                .orElse(problem.retryAfterSeconds() == null ? OptionalLong.empty()
                        : OptionalLong.of(problem.retryAfterSeconds()));
        String title = problem.title() != null ? problem.title() : REASONS.getOrDefault(status, "Error");
        StringBuilder message = new StringBuilder(title).append(" (HTTP ").append(status).append(')');
        if (problem.detail() != null && !problem.detail().isBlank()) {
            message.append(": ").append(problem.detail());
        } else if (status == 401) {
            message.append(": log in with `seedloop login`");
        }
        List<String> details = new ArrayList<>();
        problem.violations().forEach(v -> details.add(v.toString()));
        if (problem.reason() != null) {
            details.add("reason: " + problem.reason());
        }
        retryAfter.ifPresent(seconds -> details.add("Retry after " + seconds + " s."));
        return new ApiException(status, problem, retryAfter, message.toString(), details);
    }

    public int status() {
        return status;
    }

    public Problem problem() {
        return problem;
    }

    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
