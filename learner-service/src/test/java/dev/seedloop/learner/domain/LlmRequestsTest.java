package dev.seedloop.learner.domain;

import static dev.seedloop.learner.domain.LlmStudy.proposal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Observation;
import dev.seedloop.events.ContentHash;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.Services;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.StrategyUpdated;

/**
 * What an llm study's requests carry: observations with their code lineage, operator weights by yield per cost,
 * and the learner's notes; and that the parameter strategies' requests stay as they were.
 */
class LlmRequestsTest {

    private static final String CHEAP = "mutate@small/default";
    private static final String DEAR = "mutate@big/default";
    private static final String BROKEN = "crossover@small/default";

    @Test
    void anLlmStudysObservationsCarryTreeParentsOutputAndFailure() {
        LlmStudy s = LlmStudy.llm(Map.of("output-chars", "8"), null);
        StrategyUpdated first = request(s.ordinal(0, CHEAP, 0.1, List.of(), 0.5, "line one\nloss=0.5"));
        StrategyUpdated second = request(s.ordinal(1, CHEAP, 0.1, List.of(proposal(0)), null, "error: nope"));

        assertThat(first.observations()).singleElement().isEqualTo(new Observation(proposal(0), 0, CHEAP, Map.of(),
                0.5, LlmStudy.tree(0), List.of(), "loss=0.5", null));
        Observation failed = second.observations().get(1);
        assertThat(failed.value()).isNull();
        assertThat(failed.tree()).isEqualTo(LlmStudy.tree(1));
        assertThat(failed.parents()).containsExactly(proposal(0));
        assertThat(failed.output()).isEqualTo("or: nope");
        assertThat(failed.failure()).isEqualTo("build-failed: no such symbol");
    }

    @Test
    void anAnswerTheProposerRefusedIsShownInLaterRequestsAsAFailureThatRanNothing() {
        LlmStudy s = LlmStudy.llm(Map.of(), null);
        // Named as the proposer names ordinal 0, so that its rejection resolves the ordinal.
        UUID refusedId = Events.proposalOfOrdinal(0);
        s.send(s.ev.envelope(Services.PROPOSER, new ModelCallCompleted(UUID.randomUUID(), refusedId, 0, "small",
                "default", CHEAP, ContentHash.sha256("prompt 0"), 100, ContentHash.sha256("answer 0"), 50, 900, 120,
                12, 0.1, 1, false, null)));
        StrategyUpdated afterRefusal = request(s.send(s.ev.envelope(Services.PROPOSER, new ProposalRejected(refusedId,
                "malformed-block: a SEARCH block without '======='", List.of("answer:3")))));
        StrategyUpdated afterRun = request(s.ordinal(1, CHEAP, 0.1, List.of(), 0.5, "loss=0.5"));

        Observation refused = new Observation(refusedId, 0, CHEAP, Map.of(), null, null, List.of(), null,
                "refused: malformed-block: a SEARCH block without '=======': answer:3");
        assertThat(afterRefusal.proposalsRequested()).isEqualTo(1);
        assertThat(afterRefusal.nextOrdinal()).isEqualTo(1);
        assertThat(afterRefusal.observations()).containsExactly(refused);
        assertThat(afterRun.observations()).extracting(Observation::ordinal).containsExactly(0, 1);
        assertThat(afterRun.observations().getFirst()).isEqualTo(refused);
    }

    @Test
    void otherStrategiesKeepTheirParameterOnlyObservationsAndTheirBandit() {
        LlmStudy s = LlmStudy.of("evolutionary", Map.of(), null, 100);
        s.ordinal(0, "mutate", 0.1, List.of(), 0.5, "loss=0.5");
        StrategyUpdated u = request(s.ordinal(1, "mutate", 0.1, List.of(proposal(0)), null, "boom"));

        assertThat(u.observations()).allSatisfy(o -> {
            assertThat(o.tree()).isNull();
            assertThat(o.parents()).isEmpty();
            assertThat(o.output()).isNull();
            assertThat(o.failure()).isNull();
        });
        assertThat(u.notes()).isNull();
        assertThat(u.operatorWeights()).containsOnlyKeys("crossover", "mutate", "random");
        assertThat(u.reason()).doesNotContain("yield");
        assertThat(s.study().modelUse().proposals().values()).allMatch(o -> o.tree() == null && o.output() == null);
    }

    @Test
    void armsAreWeightedByImprovementPerDollar() {
        LlmStudy s = LlmStudy.llm(Map.of(), null);
        s.ordinal(0, CHEAP, 0.01, List.of(), 1.0, "");
        s.ordinal(1, DEAR, 0.10, List.of(proposal(0)), 0.8, "");
        s.ordinal(2, CHEAP, 0.01, List.of(proposal(0)), 0.8, "");
        s.ordinal(3, DEAR, 0.10, List.of(proposal(0)), 0.6, "");
        s.ordinal(4, CHEAP, 0.01, List.of(proposal(0)), 0.6, "");
        StrategyUpdated once = request(s.ordinal(5, BROKEN, 0.01, List.of(proposal(0)), null, ""));
        s.ordinal(6, BROKEN, 0.01, List.of(proposal(0)), null, "");
        StrategyUpdated u = request(s.ordinal(7, BROKEN, 0.01, List.of(proposal(0)), null, ""));

        // One cheap failure does not condemn an arm: the prior (the pooled yield) still outweighs it.
        assertThat(once.operatorWeights().get(BROKEN)).isGreaterThan(once.operatorWeights().get(DEAR))
                .isLessThan(once.operatorWeights().get(CHEAP));
        Map<String, Double> w = u.operatorWeights();
        assertThat(w).containsOnlyKeys(CHEAP, DEAR, BROKEN);
        // The same improvements at a tenth of the cost; three failures outweigh the prior.
        assertThat(w.get(CHEAP)).isGreaterThan(w.get(DEAR));
        assertThat(w.get(DEAR)).isGreaterThan(w.get(BROKEN));
        // The prior and the exploration share keep a failed arm in play.
        assertThat(w.get(BROKEN)).isGreaterThanOrEqualTo(YieldBandit.EXPLORATION / 3);
        assertThat(w.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(u.reason()).contains("weights by yield per usd:").contains(CHEAP + " gain")
                .contains("over 3").contains("prior 2");
    }

    @Test
    void aCopyAnsweredFromTheRecordWeighsItsArmsAsTheOriginalDid() {
        LlmStudy original = LlmStudy.llm(Map.of(), null);
        LlmStudy copy = LlmStudy.llm(Map.of(), null);
        copy.fromTheRecord = true;
        StrategyUpdated[] last = new StrategyUpdated[2];
        for (LlmStudy s : List.of(original, copy)) {
            s.ordinal(0, CHEAP, 0.01, List.of(), 1.0, "");
            s.ordinal(1, DEAR, 0.10, List.of(proposal(0)), 0.8, "");
            last[s == original ? 0 : 1] = request(s.ordinal(2, CHEAP, 0.01, List.of(proposal(0)), 0.8, ""));
        }

        assertThat(copy.study().modelSpend().costUsd()).isZero();
        assertThat(copy.study().modelSpend().replayedCalls()).isEqualTo(3);
        assertThat(last[1].operatorWeights()).isEqualTo(last[0].operatorWeights());
        assertThat(last[1].reason()).contains("yield per usd");
    }

    @Test
    void withoutBilledCostArmsAreWeightedPerCall() {
        LlmStudy s = LlmStudy.llm(Map.of(), null);
        s.ordinal(0, CHEAP, 0.0, List.of(), 1.0, "");
        s.ordinal(1, DEAR, 0.0, List.of(proposal(0)), 0.9, "");
        StrategyUpdated u = request(s.ordinal(2, CHEAP, 0.0, List.of(proposal(0)), 0.5, ""));

        // Per call the arm that improved more (0.5 against 0.1) leads.
        assertThat(u.operatorWeights().get(CHEAP)).isGreaterThan(u.operatorWeights().get(DEAR));
        assertThat(u.reason()).contains("yield per call:");
    }

    @Test
    void withNoGainAnywhereEveryArmWeighsTheSame() {
        LlmStudy s = LlmStudy.llm(Map.of(), null);
        s.ordinal(0, CHEAP, 0.01, List.of(), 1.0, "");
        StrategyUpdated u = request(s.ordinal(1, DEAR, 0.5, List.of(proposal(0)), 2.0, ""));

        assertThat(u.operatorWeights()).containsEntry(CHEAP, 0.5).containsEntry(DEAR, 0.5);
    }

    @Test
    void notesAreRebuiltEveryNotesEveryEvaluationsAndCarriedBetween() {
        LlmStudy s = LlmStudy.llm(Map.of("notes-every", "2"), null);
        StrategyUpdated after1 = request(s.ordinal(0, CHEAP, 0.01, List.of(), 1.0, ""));
        StrategyUpdated after2 = request(s.ordinal(1, DEAR, 0.10, List.of(proposal(0)), 0.7, ""));
        StrategyUpdated after3 = request(s.ordinal(2, CHEAP, 0.01, List.of(proposal(1)), 0.6, ""));
        StrategyUpdated after4 = request(s.ordinal(3, BROKEN, 0.01, List.of(proposal(2)), null, ""));

        assertThat(after1.notes()).isNull();
        assertThat(after2.notes()).isEqualTo("After 2 evaluations: best loss 0.7 (ordinal 1, " + DEAR + ")."
                + " Improved on their parents: " + DEAR + " 1 of 1 (by 0.3 in all)."
                + " No improvement: " + CHEAP + " (1).");
        assertThat(after3.notes()).isEqualTo(after2.notes());
        assertThat(after4.notes()).startsWith("After 4 evaluations: best loss 0.6 (ordinal 2, " + CHEAP + ").")
                .contains(CHEAP + " 1 of 2 (by 0.1 in all)")
                .contains("No improvement: " + BROKEN + " (1).")
                .endsWith(" Failed 1 of 4 (" + BROKEN + " 1); commonest: build-failed (1).");
        assertThat(after4.notes().length()).isLessThanOrEqualTo(StudyNotes.MAX_CHARS);
    }

    @Test
    void largeOutputsAreCutToFitTheEventLimit() {
        LlmStudy s = LlmStudy.llm(Map.of("output-chars", "20000"), null);
        StrategyUpdated u = null;
        for (int n = 0; n < 30; n++) {
            u = request(s.ordinal(n, CHEAP, 0.01, n == 0 ? List.of() : List.of(proposal(n - 1)), 1.0 - n * 0.01,
                    "x".repeat(30_000)));
        }

        assertThat(u.observations().getFirst().output()).hasSize(20_000);
        int size = dev.seedloop.learner.projection.application.JsonEncodedSize.INSTANCE.of(u.observations());
        assertThat(size).isLessThanOrEqualTo(LearnerDecider.MAX_OBSERVATION_BYTES_SHARED);
        // The latest results are the ones kept.
        assertThat(u.observations().getLast().ordinal()).isEqualTo(29);
        assertThat(u.observations().size()).isLessThan(30);
    }

    private static StrategyUpdated request(List<EventEnvelope> said) {
        assertThat(said).singleElement().extracting(EventEnvelope::payload).isInstanceOf(StrategyUpdated.class);
        return (StrategyUpdated) said.getFirst().payload();
    }
}
