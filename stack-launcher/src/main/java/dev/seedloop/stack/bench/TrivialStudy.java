package dev.seedloop.stack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.workspace.WorkspacePush;

/**
 * The platform benchmarks' workload: a study whose experiment does next to nothing (a shell prints its parameter
 * as the metric), so what a run measures is the platform around it: Kafka hops, the implementer's tree and
 * sandbox, the evaluator, the learner's store and decisions, the proposer. Random search, so the proposer's own
 * cost stays flat however long the study runs.
 */
public final class TrivialStudy {

    /** The whole workspace: one script, printing the metrics line the implementer reads. */
    private static final String RUN_SH = "echo \"{\\\"value\\\": $SEEDLOOP_PARAM_X}\"\n";

    private TrivialStudy() {
    }

    /** Writes the workspace into a new directory and uploads it as the client's team: its tree hash. */
    public static String upload(GatewayClient gateway) throws IOException {
        Path workspace = Files.createTempDirectory("seedloop-bench-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            Files.writeString(workspace.resolve("run.sh"), RUN_SH);
            return new WorkspacePush(gateway).push(workspace).tree();
        } finally {
            Files.deleteIfExists(workspace.resolve("run.sh"));
            Files.deleteIfExists(workspace);
        }
    }

    /**
     * The spec (JSON) of a study of {@code experiments} trivial experiments, {@code parallelism} at a time (at most
     * all of them: the gateway refuses a parallelism above the budget).
     */
    public static String spec(String tree, String name, int experiments, int parallelism, long seed) {
        return String.format(Locale.ROOT, """
                {"name": "%s", "objective": {"metric": "value", "direction": "minimize"},
                 "workspace": "%s",
                 "searchSpace": [{"name": "x", "kind": "float", "low": 0, "high": 1}],
                 "experiment": {"command": ["sh", "run.sh"], "repeats": 1, "timeoutSeconds": 60},
                 "budget": {"maxExperiments": %d, "parallelism": %d, "maxWallSeconds": 86400},
                 "strategy": "random", "seed": %d}
                """, name, tree, experiments, Math.min(parallelism, experiments), seed);
    }
}
