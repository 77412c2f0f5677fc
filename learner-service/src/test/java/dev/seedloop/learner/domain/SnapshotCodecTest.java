package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.seedloop.events.Budget;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ModelBudget;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Observation;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.Services;
import dev.seedloop.events.Verdict;
import dev.seedloop.learner.projection.application.StateJson;
import dev.seedloop.learner.projection.persistence.SnapshotCodec;

/** Snapshots hold exactly the folded state: decoded, it equals what was encoded and folds on identically. */
class SnapshotCodecTest {

    private static final String STUDIES = "dev.seedloop.learner.domain.LearnerFoldTest#studies";

    @ParameterizedTest(name = "{0}")
    @MethodSource(STUDIES)
    void roundTripsTheStateAfterEveryEvent(String name, StudySimulation.Run run) {
        LearnerFold fold = Deciders.DEFAULT.fold();
        for (EventEnvelope e : run.stored()) {
            fold.apply(e);

            SnapshotCodec.Snapshot back = SnapshotCodec.decode(SnapshotCodec.encode(fold.study(), fold.strategy()));

            assertThat(back.study()).isEqualTo(fold.study());
            assertThat(back.strategy()).isEqualTo(fold.strategy());
            assertThat(StateJson.write(back.study(), back.strategy()))
                    .isEqualTo(StateJson.write(fold.study(), fold.strategy()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(STUDIES)
    void foldingOnFromADecodedSnapshotEndsWhereTheWholeFoldEnds(String name, StudySimulation.Run run) {
        List<EventEnvelope> log = run.stored();
        for (int cut : new int[] {0, 1, log.size() / 4, log.size() / 2, log.size() - 1, log.size()}) {
            LearnerFold head = Deciders.DEFAULT.fold();
            log.subList(0, cut).forEach(head::apply);
            SnapshotCodec.Snapshot snapshot = SnapshotCodec.decode(SnapshotCodec.encode(head.study(),
                    head.strategy()));

            LearnerFold tail = Deciders.DEFAULT.fold(snapshot.state());
            // The raw deliveries, so redeliveries of events before the cut meet the decoded seen ids.
            run.delivered().forEach(tail::apply);

            assertThat(StateJson.write(tail.study(), tail.strategy())).as("cut at %d", cut)
                    .isEqualTo(run.liveJson());
        }
    }

    @Test
    void keepsTheJavaTypeOfEveryParameterValue() {
        Events events = new Events();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("lr", 0.001);
        parameters.put("layers", 4);
        parameters.put("steps", 10_000_000_000L);
        parameters.put("activation", "relu");
        parameters.put("residual", true);
        EventEnvelope created = events.created(Direction.MINIMIZE, null, 10, 600, 2, 1);
        EventEnvelope proposed = events.envelope(Services.PROPOSER, new ProposalCreated(Events.proposal(0), 0,
                "evolutionary", "mutate", parameters, List.of()));
        LearnerFold fold = Deciders.DEFAULT.fold();
        List.of(created, proposed, events.evaluated(Events.proposal(0), Verdict.NEW_CHAMPION, 0.5))
                .forEach(fold::apply);

        StudyState back = SnapshotCodec.decode(SnapshotCodec.encode(fold.study(), fold.strategy())).study();

        Map<String, Object> lineage = back.lineage().get(Events.proposal(0)).parameters();
        Map<String, Object> observed = back.observations().getFirst().parameters();
        for (Map<String, Object> decoded : List.of(lineage, observed)) {
            assertThat(decoded).containsExactlyEntriesOf(parameters);
            parameters.forEach((k, v) -> assertThat(decoded.get(k)).as(k).isExactlyInstanceOf(v.getClass()));
        }
    }

    @Test
    void refusesWhatItDidNotWrite() {
        StudySimulation.Run run = new StudySimulation.Simulation(5).run(10, 2, 7L);
        LearnerFold fold = Deciders.DEFAULT.fold();
        run.stored().forEach(fold::apply);
        byte[] bytes = SnapshotCodec.encode(fold.study(), fold.strategy());

        byte[] otherVersion = bytes.clone();
        ByteBuffer.wrap(otherVersion).putInt(4, SnapshotCodec.FORMAT_VERSION + 1);
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(() -> SnapshotCodec.decode("{\"study\":{}}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a study snapshot");
        assertThatThrownBy(() -> SnapshotCodec.decode(otherVersion))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format");
        assertThatThrownBy(() -> SnapshotCodec.decode(Arrays.copyOf(bytes, bytes.length / 2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnapshotCodec.decode(trailing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
        assertThatThrownBy(() -> SnapshotCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesToEncodeAParameterValueItCouldNotGiveBack() {
        Lineage odd = new Lineage(Events.proposal(0), 0, "mutate", List.of(), Map.of("at", Instant.EPOCH));
        StudyState study = new StudyState(new StudySpec("s", null, new Objective("loss", Direction.MINIMIZE, null),
                new Budget(1, 1, 1), null, 0, null, null, null, null, null, null, Map.of()), StudyProgress.EMPTY,
                StudyRequests.EMPTY, new StudyResults(null, null, List.of(), Map.of(odd.proposalId(), odd), List.of(),
                List.of()), StudyGovernance.EMPTY, ModelUse.EMPTY, AppliedEvents.EMPTY);

        assertThatThrownBy(() -> SnapshotCodec.encode(study, StrategyState.initial(StrategySettings.DEFAULTS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.time.Instant");
    }

    /**
     * The codec writes every component of these records by hand. When one gains, loses or renames a
     * component, this fails: update SnapshotCodec and bump SnapshotCodec.FORMAT_VERSION (stored snapshots of
     * the old format are then ignored), then update the lists here.
     */
    @Test
    void theStateRecordsAreTheOnesTheFormatWasWrittenFor() {
        assertThat(SnapshotCodec.FORMAT_VERSION).isEqualTo(4);
        assertThat(components(StudyState.class)).containsExactly("spec", "progress", "requests", "results",
                "governance", "modelUse", "applied");
        // llm is derived from strategy and strategyOptions, so the codec does not write it.
        assertThat(components(StudySpec.class)).containsExactly("studyId", "createdEventId", "objective", "budget",
                "strategy", "seed", "startedAt", "team", "name", "createdBy", "promotion", "origin",
                "strategyOptions", "llm");
        assertThat(components(ModelUse.class)).containsExactly("spend", "proposals");
        assertThat(components(ModelSpend.class)).containsExactly("calls", "failedCalls", "replayedCalls", "tokensIn",
                "tokensOut", "costUsd");
        assertThat(components(ProposalOutcome.class)).containsExactly("calls", "costUsd", "tree", "output",
                "failure", "ordinal", "operator", "refusal");
        assertThat(components(ModelBudget.class)).containsExactly("maxCalls", "maxTokens", "maxCostUsd");
        assertThat(components(StudyProgress.class)).containsExactly("status", "completionReason", "proposals",
                "proposalsRejected", "experimentsStarted", "experimentsCompleted", "experimentsFailed", "evaluations",
                "invalidEvaluations", "resumes");
        assertThat(components(StudyRequests.class)).containsExactly("inFlight", "proposalsRequested",
                "strategyRevision", "resolvedOrdinals");
        assertThat(components(ResolvedOrdinals.class)).containsExactly("below", "beyond", "unplaced");
        assertThat(components(ResolvedOrdinals.Result.class)).containsExactly("verdict", "value");
        assertThat(components(StudyResults.class)).containsExactly("bestValue", "championProposalId",
                "championHistory", "lineage", "archive", "observations");
        assertThat(components(StudyGovernance.class)).containsExactly("controls", "pendingApprovals", "candidates");
        assertThat(components(AppliedEvents.class)).containsExactly("eventsApplied", "seenEventIds");
        assertThat(components(StrategyState.class)).containsExactly("settings", "posteriors", "stagnation",
                "restarts", "updates", "improved", "restarted", "operatorWeights");
        assertThat(components(StrategySettings.class)).containsExactly("prior", "stagnationLimit", "draws",
                "defaultOperators");
        assertThat(components(BetaPosterior.class)).containsExactly("alpha", "beta");
        assertThat(components(Lineage.class)).containsExactly("proposalId", "ordinal", "operator", "parents",
                "parameters", "verdict", "value", "inheritedFrom");
        assertThat(components(ChampionEntry.class)).containsExactly("proposalId", "evaluationId", "value",
                "sequence", "previousProposalId", "at", "evidence", "causationId", "approvedBy");
        assertThat(components(Evidence.class)).containsExactly("reason", "mean", "ciLow", "ciHigh", "repeats",
                "pValue", "validationPassed", "heldOutValue");
        assertThat(components(Elite.class)).containsExactly("proposalId", "value", "operator", "sequence");
        assertThat(components(Control.class)).containsExactly("action", "by", "reason", "at", "eventId",
                "proposalId");
        assertThat(components(PendingApproval.class)).containsExactly("proposalId", "evaluationId", "value",
                "requestedAt", "comparedWith");
        assertThat(components(ForkOrigin.class)).containsExactly("studyId", "atSequence", "championProposalId",
                "championValue", "inherited", "omitted");
        assertThat(components(Candidate.class)).containsExactly("proposalId", "evaluationId", "evidence");
        // The state keeps the v1 fields of its observations; requests build the code lineage from ModelUse.
        assertThat(components(Observation.class)).containsExactly("proposalId", "ordinal", "operator", "parameters",
                "value", "tree", "parents", "output", "failure");
        assertThat(components(Objective.class)).containsExactly("metric", "direction", "target");
        assertThat(components(Budget.class)).containsExactly("maxExperiments", "maxWallSeconds", "parallelism",
                "model");
    }

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }
}
