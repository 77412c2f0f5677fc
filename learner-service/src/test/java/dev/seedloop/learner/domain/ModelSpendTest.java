package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ModelBudget;
import dev.seedloop.events.StrategyNames;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.learner.projection.application.StateJson;
import dev.seedloop.learner.projection.persistence.SnapshotCodec;
import dev.seedloop.learner.query.domain.StudyViews;
import dev.seedloop.queries.Views;

/** Model spend: folded from ModelCallCompleted, capped by the study's model budget, shown in the study view. */
class ModelSpendTest {

    @Test
    void countsEveryCallAndBillsOnlyTheOnesAModelAnswered() {
        LlmStudy s = LlmStudy.llm(Map.of(), null);

        s.call(0, "mutate@small/default", 1000, 200, 0.25, false, null);
        s.call(0, "mutate@small/default", 900, 100, 0.0, true, null);
        s.call(1, "mutate@small/default", 300, 0, 0.05, false, "timeout after 3 attempts");

        ModelSpend spend = s.study().modelSpend();
        assertThat(spend.calls()).isEqualTo(3);
        assertThat(spend.replayedCalls()).isEqualTo(1);
        assertThat(spend.failedCalls()).isEqualTo(1);
        assertThat(spend.billedCalls()).isEqualTo(2);
        assertThat(spend.tokensIn()).isEqualTo(1300);
        assertThat(spend.tokensOut()).isEqualTo(200);
        assertThat(spend.costUsd()).isCloseTo(0.30, within(1e-12));
        assertThat(s.study().modelUse().of(LlmStudy.proposal(0)).calls()).isEqualTo(2);
        assertThat(s.study().modelUse().of(LlmStudy.proposal(0)).costUsd()).isEqualTo(0.25);
    }

    @Test
    void aCallThatReachesTheCallCapCompletesTheStudyAndNothingMoreIsAsked() {
        LlmStudy s = LlmStudy.llm(Map.of(), new ModelBudget(2L, null, null));

        assertThat(s.call(0, "mutate@small/default", 10, 10, 0.01, false, null)).isEmpty();
        List<EventEnvelope> out = s.call(0, "mutate@small/default", 10, 10, 0.01, false, null);

        assertThat(out).singleElement().satisfies(e -> assertThat(((StudyCompleted) e.payload()).reason())
                .isEqualTo("model-budget-exhausted: calls 2/2"));
        assertThat(s.study().status()).isEqualTo(StudyStatus.COMPLETED);
        // The proposal in flight runs out as at any completion, and its evaluation asks for nothing more.
        assertThat(s.ordinal(1, "mutate@small/default", 0.01, List.of(), 0.4, "")).isEmpty();
    }

    @Test
    void theTokenAndCostCapsNameWhatWasSpent() {
        LlmStudy tokens = LlmStudy.llm(Map.of(), new ModelBudget(null, 2000L, null));
        tokens.call(0, "mutate@small/default", 1500, 400, 0.01, false, null);
        assertThat(tokens.said).isEmpty();
        tokens.call(0, "mutate@small/default", 50, 50, 0.01, false, null);
        assertThat(reason(tokens.said)).isEqualTo("model-budget-exhausted: tokens 2000/2000");

        LlmStudy cost = LlmStudy.llm(Map.of(), new ModelBudget(null, null, 0.5));
        cost.call(0, "mutate@small/default", 10, 10, 0.3, false, null);
        assertThat(cost.said).isEmpty();
        cost.call(0, "mutate@small/default", 10, 10, 0.25, false, null);
        assertThat(reason(cost.said)).isEqualTo("model-budget-exhausted: cost 0.55/0.5");
    }

    @Test
    void replayedCallsNeverReachACap() {
        LlmStudy s = LlmStudy.llm(Map.of(), new ModelBudget(1L, 10L, 0.001));

        for (int i = 0; i < 5; i++) {
            assertThat(s.call(0, "mutate@small/default", 5000, 5000, 1.0, true, null)).isEmpty();
        }

        assertThat(s.study().status()).isNotEqualTo(StudyStatus.COMPLETED);
        assertThat(s.study().modelSpend().replayedCalls()).isEqualTo(5);
        assertThat(s.study().modelSpend().billedTokens()).isZero();
    }

    @Test
    void aStudyEndedByItsCapAsksForNoFurtherOrdinal() {
        LlmStudy s = LlmStudy.llm(Map.of(), new ModelBudget(null, null, 0.02));
        List<EventEnvelope> out = s.ordinal(0, "mutate@small/default", 0.05, List.of(), 0.5, "");

        assertThat(s.log).filteredOn(e -> e.payload() instanceof StudyCompleted).hasSize(1);
        assertThat(out).isEmpty();
        assertThat(s.log).noneMatch(e -> e.payload() instanceof StrategyUpdated u && u.nextOrdinal() > 0);
    }

    @Test
    void theViewShowsSpendCapsAndAProjectionPerExperiment() {
        LlmStudy s = LlmStudy.of(StrategyNames.LLM, Map.of(), new ModelBudget(100L, null, 5.0), 10);
        Views.ModelSpendView before = StudyViews.study(s.study()).modelSpend();
        assertThat(before).isEqualTo(new Views.ModelSpendView(0, 0, 0, 0, 0, 0.0, 100L, null, 5.0, null));

        s.ordinal(0, "mutate@small/default", 0.10, List.of(), 0.5, "");
        s.ordinal(1, "mutate@small/default", 0.30, List.of(LlmStudy.proposal(0)), 0.4, "");
        s.call(2, "mutate@small/default", 10, 0, 0.0, true, null);

        Views.ModelSpendView view = StudyViews.study(s.study()).modelSpend();
        assertThat(view.calls()).isEqualTo(3);
        assertThat(view.replayedCalls()).isEqualTo(1);
        assertThat(view.tokensIn()).isEqualTo(2000);
        assertThat(view.tokensOut()).isEqualTo(400);
        assertThat(view.costUsd()).isCloseTo(0.40, within(1e-12));
        // 0.40 over 2 experiments resolved, 10 allowed.
        assertThat(view.projectedCostUsd()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void aStudyWithoutCallsOrModelBudgetShowsNoSpend() {
        LlmStudy plain = LlmStudy.of("evolutionary", Map.of(), null, 10);
        LlmStudy replayedOnly = LlmStudy.llm(Map.of(), null);
        replayedOnly.call(0, "mutate@small/default", 10, 10, 0.0, true, null);

        assertThat(StudyViews.study(plain.study()).modelSpend()).isNull();
        assertThat(StudyViews.study(replayedOnly.study()).modelSpend().projectedCostUsd()).isNull();
    }

    @Test
    void replayingTheStoredLogAndItsSnapshotGiveTheLiveState() {
        LlmStudy s = LlmStudy.llm(Map.of("notes-every", "2", "output-chars", "8"), new ModelBudget(null, null, 9.0));
        s.ordinal(0, "mutate@small/default", 0.10, List.of(), 0.5, "line one\nloss=0.5");
        s.ordinal(1, "mutate@big/default", 0.50, List.of(LlmStudy.proposal(0)), null, "error: no such symbol");
        s.ordinal(2, "mutate@small/default", 0.10, List.of(LlmStudy.proposal(0)), 0.3, "loss=0.3");
        String live = StateJson.write(s.study(), s.fixture.strategy);

        LearnerFold fold = Deciders.DEFAULT.fold();
        s.log.forEach(fold::apply);
        SnapshotCodec.Snapshot snapshot = SnapshotCodec.decode(SnapshotCodec.encode(fold.study(), fold.strategy()));

        assertThat(StateJson.write(fold.study(), fold.strategy())).isEqualTo(live).contains("\"modelUse\"");
        assertThat(snapshot.study()).isEqualTo(fold.study());
        assertThat(snapshot.study().budget().model()).isEqualTo(new ModelBudget(null, null, 9.0));
        assertThat(snapshot.study().spec().llmOptions().notesEvery()).isEqualTo(2);
    }

    private static String reason(List<EventEnvelope> said) {
        assertThat(said).hasSize(1);
        return ((StudyCompleted) said.getFirst().payload()).reason();
    }
}
