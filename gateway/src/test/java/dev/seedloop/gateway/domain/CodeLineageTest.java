package dev.seedloop.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.FilePatch;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.Verdict;

class CodeLineageTest {

    static final String PROMPT = "sha256:" + "1".repeat(64);
    static final String ANSWER = "sha256:" + "2".repeat(64);
    static final String TREE = "sha256:" + "3".repeat(64);

    static ModelCallCompleted call(UUID proposal, int ordinal, long in, long out, double cost, boolean replayed,
            String failure) {
        return new ModelCallCompleted(UUID.randomUUID(), proposal, ordinal, "small", "default",
                "mutate@small/default", PROMPT, 100, failure == null ? ANSWER : null, failure == null ? 50 : 0, in,
                out, 900, cost, 1, replayed, failure);
    }

    static ProposalCreated proposal(UUID id, int ordinal, List<UUID> parents, FilePatch... patches) {
        return new ProposalCreated(id, ordinal, "llm", "mutate@small/default", Map.of(), parents, List.of(patches),
                TREE);
    }

    static EvaluationCompleted evaluation(UUID proposal, Verdict verdict, double mean) {
        return new EvaluationCompleted(UUID.randomUUID(), UUID.randomUUID(), proposal, verdict, "judged",
                new MetricSummary("score", 1, mean, 0.0, mean, mean), null, true, "sha256:" + "4".repeat(64));
    }

    @Test
    void eachProposalCarriesItsChangeItsCallsAndItsResultAndTheStudyItsTotalSpend() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID rejected = UUID.randomUUID();
        UUID failed = UUID.randomUUID();
        CodeLineage lineage = new CodeLineage();
        lineage.accept(call(first, 0, 1_000, 200, 0.01, false, null));
        lineage.accept(proposal(first, 0, List.of(), FilePatch.diff("heuristic.py",
                "@@ -1 +1 @@\n-return x\n+return 2 * x\n")));
        lineage.accept(call(second, 1, 1_500, 300, 0.02, false, null));
        lineage.accept(call(second, 1, 1_500, 300, 0.02, true, null));
        lineage.accept(proposal(second, 1, List.of(first), new FilePatch("notes.txt", "a\nb\n"),
                new FilePatch("old.py", null)));
        lineage.accept(call(rejected, 2, 800, 0, 0.005, false, "timeout after 3 attempts"));
        lineage.accept(new ProposalRejected(rejected, "no usable answer", List.of("timeout after 3 attempts")));
        lineage.accept(call(failed, 3, 900, 100, 0.004, false, null));
        lineage.accept(proposal(failed, 3, List.of(first), FilePatch.diff("heuristic.py", "@@ -1 +1 @@\n-a\n+b\n")));
        lineage.accept(new ExperimentFailed(UUID.randomUUID(), failed, FailureReason.BUILD_FAILED, "syntax error",
                ResourceUsage.NONE, ""));
        lineage.accept(evaluation(first, Verdict.NEW_CHAMPION, 0.5));
        lineage.accept(new ChampionChanged(first, null, UUID.randomUUID(), 0.5));
        lineage.accept(evaluation(second, Verdict.NOT_BETTER, 0.4));

        CodeLineage.View view = lineage.view();

        assertThat(view.calls()).isEqualTo(5);
        assertThat(view.failedCalls()).isEqualTo(1);
        assertThat(view.replayedCalls()).isEqualTo(1);
        assertThat(view.tokensIn()).isEqualTo(1_000 + 1_500 + 800 + 900);
        assertThat(view.tokensOut()).isEqualTo(200 + 300 + 100);
        assertThat(view.costUsd()).isCloseTo(0.039, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(view.proposals()).extracting(CodeLineage.Proposal::ordinal).containsExactly(0, 1, 2, 3);

        CodeLineage.Proposal p0 = view.proposals().get(0);
        assertThat(p0.outcome()).isEqualTo("new-champion");
        assertThat(p0.value()).isEqualTo(0.5);
        assertThat(p0.champion()).isTrue();
        assertThat(p0.diff()).isEqualTo("--- a/heuristic.py\n+++ b/heuristic.py\n@@ -1 +1 @@\n-return x\n"
                + "+return 2 * x\n");
        assertThat(p0.tokens()).isEqualTo(1_200);

        CodeLineage.Proposal p1 = view.proposals().get(1);
        assertThat(p1.parents()).containsExactly(first);
        assertThat(p1.calls()).hasSize(2);
        assertThat(p1.tokens()).as("the replayed call bills nothing").isEqualTo(1_800);
        assertThat(p1.costUsd()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(p1.diff()).isEqualTo("new content of notes.txt:\n+a\n+b\ndeleted old.py\n");
        assertThat(p1.outcome()).isEqualTo("not-better");

        CodeLineage.Proposal p2 = view.proposals().get(2);
        assertThat(p2.outcome()).isEqualTo("rejected");
        assertThat(p2.detail()).isEqualTo("no usable answer: timeout after 3 attempts");
        assertThat(p2.diff()).isNull();
        assertThat(p2.calls().getFirst().answerHash()).isNull();

        CodeLineage.Proposal p3 = view.proposals().get(3);
        assertThat(p3.outcome()).isEqualTo("failed");
        assertThat(p3.detail()).isEqualTo("build-failed: syntax error");
    }

    @Test
    void aLongChangeIsCutAndCounted() {
        UUID id = UUID.randomUUID();
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            content.append("line ").append(i).append('\n');
        }
        CodeLineage lineage = new CodeLineage();
        lineage.accept(proposal(id, 0, List.of(), new FilePatch("big.py", content.toString())));

        CodeLineage.Proposal p = lineage.view().proposals().getFirst();

        assertThat(p.diff().lines()).hasSize(CodeLineage.MAX_DIFF_LINES);
        assertThat(p.diffLinesOmitted()).isEqualTo(251 - CodeLineage.MAX_DIFF_LINES);
    }
}
