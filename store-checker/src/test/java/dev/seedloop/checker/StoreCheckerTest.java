package dev.seedloop.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventTypes;

/**
 * Each invariant holds on a store of a sound finished study, and fails, naming the offending ids, on a store where
 * exactly its fault is planted.
 */
class StoreCheckerTest {

    private PlantedStore store;
    private String study;

    @BeforeEach
    void soundStudy() throws Exception {
        store = new PlantedStore();
        study = store.study(2);
        store.proposalRunToEvaluation(study);
        store.proposalRunToEvaluation(study);
        store.complete(study, "budget-exhausted", 2);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void aSoundStorePassesEveryCheck() throws Exception {
        String other = store.study(3);
        store.proposalRunToEvaluation(other);
        // Ended on its target with a proposal still in flight: no outcome is owed.
        store.append(other, EventTypes.PROPOSAL_CREATED, PlantedStore.proposalPayload(UUID.randomUUID()));
        store.complete(other, "target-reached", 1);

        CheckReport report = store.checker().checkStore();

        assertThat(report.passed()).as(report.toString()).isTrue();
        assertThat(report.results()).extracting(CheckResult::name).containsExactly(StoreChecker.ONE_OUTCOME,
                StoreChecker.ONE_EVALUATION, StoreChecker.UNIQUE_EVENT_IDS, StoreChecker.NO_SEQUENCE_GAP,
                StoreChecker.BUDGETS);
    }

    @Test
    void aSecondOutcomeOfAProposalFails() throws Exception {
        String other = store.study(5);
        UUID proposal = store.proposalRunToEvaluation(other);
        UUID second = store.append(other, EventTypes.EXPERIMENT_FAILED, PlantedStore.proposalPayload(proposal));

        assertFails(StoreChecker.ONE_OUTCOME, "study " + other + " proposal " + proposal + ": 2 outcomes",
                second.toString());
    }

    @Test
    void aMissingOutcomeFailsWhereTheStudyEndedOnItsBudget() throws Exception {
        String other = store.study(1);
        UUID proposal = UUID.randomUUID();
        store.append(other, EventTypes.PROPOSAL_CREATED, PlantedStore.proposalPayload(proposal));
        store.complete(other, "budget-exhausted", 1);

        assertFails(StoreChecker.ONE_OUTCOME, "study " + other + " proposal " + proposal + ": no outcome");
    }

    @Test
    void anOutcomeOfAnUnknownProposalFails() throws Exception {
        String other = store.study(5);
        UUID stray = UUID.randomUUID();
        store.append(other, EventTypes.EXPERIMENT_COMPLETED, PlantedStore.proposalPayload(stray));

        assertFails(StoreChecker.ONE_OUTCOME, "proposal " + stray, "never made");
    }

    @Test
    void aSecondEvaluationFails() throws Exception {
        String other = store.study(5);
        UUID proposal = store.proposalRunToEvaluation(other);
        UUID second = store.append(other, EventTypes.EVALUATION_COMPLETED, PlantedStore.proposalPayload(proposal));

        assertFails(StoreChecker.ONE_EVALUATION, "study " + other + " proposal " + proposal + ": 2 evaluations",
                second.toString());
    }

    @Test
    void anEventStoredTwiceInOneStudyFails() throws Exception {
        // The schema refuses this (V4); the check must not depend on a constraint someone may drop.
        store.execute("alter table event_store drop constraint event_store_study_event_unique");
        String other = store.study(5);
        UUID event = store.append(other, "seedloop.strategy.updated", "{}");
        store.append(other, event, "seedloop.strategy.updated", "{}");

        assertFails(StoreChecker.UNIQUE_EVENT_IDS, "event " + event + " stored 2 times", other);
    }

    @Test
    void anEventInTwoLiveStudiesFailsButAnImportedCopyDoesNot() throws Exception {
        UUID shared = store.append(study, "seedloop.strategy.updated", "{}");
        // An imported copy (ADR 0010) keeps the original's event ids under a study id of its own.
        String copy = UUID.randomUUID().toString();
        store.append(copy, UUID.fromString(study), EventTypes.STUDY_CREATED,
                "{\"budget\": {\"maxExperiments\": 2, \"parallelism\": 2}}");
        store.append(copy, shared, "seedloop.strategy.updated", "{}");
        assertThat(store.checker().checkStore().passed()).isTrue();

        String other = store.study(5);
        store.append(other, shared, "seedloop.strategy.updated", "{}");

        assertFails(StoreChecker.UNIQUE_EVENT_IDS, "event " + shared + " stored 3 times", other);
    }

    @Test
    void aGapInAStudysSequenceFails() throws Exception {
        String other = store.study(5);
        store.append(other, "seedloop.strategy.updated", "{}");
        store.appendAt(other, 4, UUID.randomUUID(), "seedloop.strategy.updated", "{}");

        assertFails(StoreChecker.NO_SEQUENCE_GAP, "study " + other + ": 3 events but sequences 1..4", "missing 3");
    }

    @Test
    void aRepeatedSequenceFails() throws Exception {
        store.execute("alter table event_store drop constraint event_store_study_sequence_unique");
        String other = store.study(5);
        store.appendAt(other, 2, UUID.randomUUID(), "seedloop.strategy.updated", "{}");
        store.appendAt(other, 2, UUID.randomUUID(), "seedloop.strategy.updated", "{}");
        store.appendAt(other, 3, UUID.randomUUID(), "seedloop.strategy.updated", "{}");

        assertFails(StoreChecker.NO_SEQUENCE_GAP, "study " + other + ": 4 events", "with 3 distinct");
    }

    @Test
    void moreExperimentsThanTheBudgetFail() throws Exception {
        String other = store.study(1);
        store.proposalRunToEvaluation(other);
        store.proposalRunToEvaluation(other);
        store.complete(other, "budget-exhausted", 2);

        assertFails(StoreChecker.BUDGETS, "study " + other + ": budget 1 experiments, but 2 proposals (0 rejected), "
                + "2 started, 2 outcomes, 2 evaluations, experimentsRun 2");
    }

    @Test
    void aRejectedProposalsReplacementStaysWithinTheBudget() throws Exception {
        String other = store.study(1);
        store.append(other, EventTypes.PROPOSAL_CREATED, PlantedStore.proposalPayload(UUID.randomUUID()));
        store.append(other, EventTypes.PROPOSAL_REJECTED, "{}");
        store.proposalRunToEvaluation(other);
        assertThat(store.checker().checkStore().passed()).isTrue();

        store.proposalRunToEvaluation(other);

        assertFails(StoreChecker.BUDGETS, "study " + other + ": budget 1 experiments, but 3 proposals (1 rejected), "
                + "2 started");
    }

    @Test
    void projectionsThatChangeInARebuildFail() throws Exception {
        store.execute("""
                insert into study_summary values ('%s', 'team-a', 'a study', 'completed', now(), 'alice', 2, 2, 0.5,
                    10, now());
                insert into team_quota values ('team-a', 3, 100, 'alice-admin', now());
                """.formatted(study));
        Map<String, String> before = store.checker().projectionRows();
        // updated_at is the database's time of writing: a rebuild changes it, and the check must not mind.
        store.execute("update study_summary set updated_at = now() + interval '1 hour'");
        assertThat(StoreChecker.projectionsEqual(before, store.checker().projectionRows()).passed()).isTrue();

        store.execute("update study_summary set budget_used = 1");
        store.execute("delete from team_quota");
        CheckResult result = StoreChecker.projectionsEqual(before, store.checker().projectionRows());

        assertThat(result.passed()).isFalse();
        assertThat(result.offenders()).hasSize(2);
        assertThat(result.offenders().get(0)).startsWith("study_summary " + study + ": ").contains("|2|2|0.5|10 before",
                "|2|1|0.5|10 after");
        assertThat(result.offenders().get(1)).startsWith("team_quota team-a: gone after the rebuild");
    }

    private void assertFails(String check, String... offenderParts) throws Exception {
        CheckReport report = store.checker().checkStore();
        assertThat(report.failures()).as(report.toString()).extracting(CheckResult::name).containsExactly(check);
        CheckResult failed = report.failures().getFirst();
        assertThat(failed.offenders()).hasSize(1);
        assertThat(failed.offenders().getFirst()).contains(offenderParts);
        assertThat(failed.toString()).startsWith("FAIL " + check).contains(offenderParts);
    }
}
