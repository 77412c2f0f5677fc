package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --output text}: what a person reads. */
class TextOutputTest extends CliTestBase {

    @Test
    void aStudyShowsItsStateChampionEvidencePendingApprovalsAndControls() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("paused", 12)
                .replace("\"champion\":null", "\"champion\":{\"proposalId\":\"00000000-0000-0000-0000-000000000007\",\"evaluationId\":\"00000000-0000-0000-0000-0000000000e7\","
                        + "\"value\":0.0412,\"since\":\"2026-11-23T12:03:45.103Z\",\"evidence\":{\"reason\":"
                        + "\"welch-test\",\"mean\":0.0412,\"ciLow\":0.0371,\"ciHigh\":0.0453,\"repeats\":3,"
                        + "\"pValue\":0.0031,\"validationPassed\":true,\"heldOutValue\":0.05},\"approvedBy\":"
                        + "\"alice-approver\"}")
                .replace("\"pendingApprovals\":[]", "\"pendingApprovals\":[{\"proposalId\":\"00000000-0000-0000-0000-000000000009\",\"evaluationId\":"
                        + "\"00000000-0000-0000-0000-0000000000e9\",\"value\":0.0399,\"requestedAt\":\"2026-11-23T12:30:00Z\",\"comparedWith\":\"00000000-0000-0000-0000-000000000007\"}]")
                .replace("\"controls\":[]", "\"controls\":[{\"action\":\"paused\",\"by\":\"alice-researcher\","
                        + "\"reason\":\"maintenance\",\"at\":\"2026-11-23T12:31:00Z\"}]"));

        CliRunner.Result result = cli.run("study", "get", Fixtures.STUDY);

        assertThat(result.out().lines()).containsExactly(
                "Study " + Fixtures.STUDY + " \"resnet-lr-sweep\" (team team-a, by alice-researcher, created "
                        + "2026-11-23T12:00:00.123Z)",
                "  status     paused",
                "  objective  minimize val_loss",
                "  strategy   evolutionary, promotion manual",
                "  budget     1/40 experiments used (0 failed), parallelism 2",
                "  champion   val_loss 0.0412, proposal 00000000-0000-0000-0000-000000000007, since 2026-11-23T12:03:45.103Z; welch-test, 95% interval "
                        + "[0.0371, 0.0453], p=0.003100, 3 repeats; approved by alice-approver",
                "  pending    candidate 00000000-0000-0000-0000-000000000009, val_loss 0.0399, requested 2026-11-23T12:30:00Z",
                "  control    paused by alice-researcher at 2026-11-23T12:31:00Z: maintenance");
    }

    @Test
    void anLlmStudyShowsItsModelSpendAndProjection() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 12)
                .replace("\"strategy\":\"evolutionary\"", "\"strategy\":\"llm\"")
                .replace("\"controls\":[]", "\"controls\":[],\"modelSpend\":{\"calls\":12,\"failedCalls\":1,"
                        + "\"replayedCalls\":0,\"tokensIn\":40100,\"tokensOut\":8100,\"costUsd\":0.3104,"
                        + "\"maxCalls\":null,\"maxTokens\":null,\"maxCostUsd\":5.0,\"projectedCostUsd\":1.0166}"));

        CliRunner.Result result = cli.run("study", "show", Fixtures.STUDY);

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out().lines()).containsSubsequence(
                "  budget     1/40 experiments used (0 failed), parallelism 2",
                "  model      12 calls (1 failed), 48.2k tokens, $0.31 (projected $1.02 of $5.00 cap)",
                "  champion   none yet");
    }

    @Test
    void studiesAreATable() {
        gateway.json("GET", "/api/v1/studies", 200, "{\"items\":[{\"id\":\"s-1\",\"name\":\"branin\",\"status\":"
                + "\"running\",\"createdAt\":\"2026-11-28T11:00:00Z\",\"createdBy\":\"alice\",\"budgetUsed\":5,"
                + "\"maxExperiments\":50,\"championValue\":0.41}],\"offset\":0,\"limit\":1,\"total\":3}");

        CliRunner.Result result = cli.run("study", "list", "--limit", "1", "--status", "running");

        assertThat(gateway.requestsTo("/api/v1/studies").getFirst().query()).isEqualTo("status=running&limit=1");
        assertThat(result.out().lines()).hasSize(3);
        assertThat(result.out().lines().toList().get(1)).startsWith("s-1").contains("branin", "running", "5/50",
                "0.4100", "2026-11-28T11:00:00Z by alice");
        assertThat(result.out()).contains("(1 of 3; more with --limit)");
    }
}
