package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.seedloop.cli.client.ExitCode;

/** {@code seedloop study baseline} and {@code seedloop study compare}: what they ask the gateway and what they print. */
class BaselineCommandsTest extends CliTestBase {

    private static final String COMPARISON = """
            {"study": {"studyId": "s-1", "name": "packer", "strategy": "llm (evolve)", "status": "completed",
                       "metric": "excess_pct", "direction": "minimize", "maxExperiments": 8,
                       "experimentsEvaluated": 8, "best": {"value": 3.85, "ciLow": 3.71, "ciHigh": 3.99},
                       "firstValue": 5.14, "improvement": 1.29, "modelCalls": 14, "modelCostUsd": 0.031},
             "other": {"studyId": "b-1", "name": "packer (baseline)", "strategy": "llm (best-of-n)",
                       "status": "completed", "metric": "excess_pct", "direction": "minimize", "maxExperiments": 8,
                       "experimentsEvaluated": 7, "best": {"value": 5.14, "ciLow": null, "ciHigh": null},
                       "firstValue": 5.34, "improvement": 0.2, "modelCalls": 14, "modelCostUsd": 0.027},
             "sameBudget": true, "verdict": "no-difference-shown",
             "explanation": "The champion of study b-1 has no confidence interval."}
            """;

    @Test
    void baselineStartsTheStudysBaselineAndSaysHowToCompare() {
        gateway.json("POST", "/api/v1/studies/s-1/baseline", 201, "{\"studyId\":\"b-1\",\"eventId\":\"e-9\","
                + "\"name\":\"packer (baseline)\",\"team\":\"team-a\",\"strategy\":\"llm\",\"seed\":7,"
                + "\"specSha256\":\"sha256:ab\",\"forkedFrom\":\"s-1\",\"forkedAt\":1,\"inherited\":0,"
                + "\"baselineOf\":\"s-1\"}");

        CliRunner.Result result = cli.run("study", "baseline", "s-1");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("Study b-1 is the baseline of s-1: \"packer (baseline)\", strategy llm,"
                + " seed 7.\nCompare them with: seedloop study compare s-1 b-1\n");
        assertThat(gateway.requestsTo("/api/v1/studies/s-1/baseline")).singleElement()
                .satisfies(sent -> assertThat(sent.body()).isEmpty());
    }

    @Test
    void compareAsksForTheOtherStudyAndPrintsBothSidesAndTheVerdict() {
        gateway.json("GET", "/api/v1/studies/s-1/comparison", 200, COMPARISON);

        CliRunner.Result result = cli.run("study", "compare", "s-1", "b-1");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(gateway.requestsTo("/api/v1/studies/s-1/comparison").getFirst().query()).isEqualTo("with=b-1");
        assertThat(result.out()).contains("strategy               llm (evolve)")
                .contains("llm (best-of-n)")
                .contains("best excess_pct        3.8500 [3.7100, 3.9900]")
                .contains("5.1400 (no interval)")
                .contains("improvement since      1.2900")
                .contains("model spend            $0.0310")
                .endsWith("verdict: no-difference-shown. The champion of study b-1 has no confidence interval.\n");
    }

    @Test
    void comparingWithAnUnknownStudyExitsWithNotFound() {
        CliRunner.Result result = cli.run("study", "compare", "s-1", "nope");

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_FOUND);
    }
}
