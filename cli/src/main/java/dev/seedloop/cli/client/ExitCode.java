package dev.seedloop.cli.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of {@code seedloop}, a contract scripts rely on: never renumber one, only add. They are
 * listed in {@code seedloop --help} from {@link #descriptions()} and in {@code cli/README.md}.
 */
public final class ExitCode {

    public static final int OK = 0;
    public static final int UNEXPECTED = 1;
    public static final int USAGE = 2;
    public static final int NOT_LOGGED_IN = 3;
    public static final int FORBIDDEN = 4;
    public static final int NOT_FOUND = 5;
    public static final int CONFLICT = 6;
    public static final int RATE_LIMITED = 7;
    public static final int UNAVAILABLE = 8;
    public static final int HALTED = 9;

    private ExitCode() {
    }

    /** The exit code for a gateway answer with this HTTP status (only called for errors). */
    public static int forStatus(int status) {
        return switch (status) {
            // The gateway rejected what the user typed or wrote in the spec: the same remedy as a usage error.
            case 400, 422 -> USAGE;
            case 401 -> NOT_LOGGED_IN;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            case 429 -> RATE_LIMITED;
            default -> status >= 500 ? UNAVAILABLE : UNEXPECTED;
        };
    }

    /** Code to meaning, in order, for the help text. */
    public static Map<String, String> descriptions() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(Integer.toString(OK), "ok");
        codes.put(Integer.toString(UNEXPECTED), "unexpected error");
        codes.put(Integer.toString(USAGE), "usage error, or the gateway rejected the input (400, e.g. an invalid spec)");
        codes.put(Integer.toString(NOT_LOGGED_IN), "not logged in, session expired, or login refused (401)");
        codes.put(Integer.toString(FORBIDDEN), "forbidden: your role may not do this (403)");
        codes.put(Integer.toString(NOT_FOUND), "not found, or a study of another team (404)");
        codes.put(Integer.toString(CONFLICT), "conflict, e.g. the candidate is not pending (409)");
        codes.put(Integer.toString(RATE_LIMITED), "quota or rate limit reached (429); Retry-After is printed");
        codes.put(Integer.toString(UNAVAILABLE), "gateway or identity provider unreachable, 5xx, cut or refused download");
        codes.put(Integer.toString(HALTED), "the watched study was halted (study watch)");
        return codes;
    }
}
