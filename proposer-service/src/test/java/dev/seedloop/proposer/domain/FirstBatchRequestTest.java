package dev.seedloop.proposer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;
import dev.seedloop.events.Verdict;

/**
 * A study's first batch is the learner's first request (ADR 0021): {@code min(parallelism, maxExperiments)} proposals
 * from ordinal 0, no operator weights (the strategies' defaults), and a fork's inherited proposals as the history.
 * Whatever the strategy, that request yields exactly the proposals the proposer used to make by itself on
 * StudyCreated, for a new study and for a fork (whose inherited points outside its space the proposer drops), so
 * studies keep their proposals across the change.
 */
class FirstBatchRequestTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final EventCodec CODEC = new EventCodec();

    /**
     * The proposals the proposer made by itself on StudyCreated before ADR 0021, for these studies: recorded by running
     * that rule ({@code Proposer.onStudyCreated}, removed since; this test compared against it directly until then).
     */
    private static List<String> expected(String strategy, boolean fork) throws IOException {
        try (InputStream in = FirstBatchRequestTest.class.getResourceAsStream(
                "/first-batch/made-on-study-created.txt")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            int from = lines.indexOf("# " + strategy + (fork ? " fork" : " fresh")) + 1;
            assertThat(from).as("recorded batch of %s", strategy).isPositive();
            List<String> batch = new ArrayList<>();
            for (int i = from; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
                batch.add(lines.get(i));
            }
            return batch;
        }
    }

    /** The learner's first request, as its {@code LearnerDecider} sends it for a created study. */
    static StrategyUpdated learnersFirstRequest(StudyCreated study) {
        List<dev.seedloop.events.Observation> inherited = study.origin() == null ? List.of()
                : study.origin().proposals().stream().map(StudyOrigin.Proposal::observation).toList();
        return new StrategyUpdated(0, Math.min(study.budget().parallelism(), study.budget().maxExperiments()),
                Map.of(), "first batch", 0, inherited);
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "sobol", "evolutionary", "tpe"})
    void theFirstRequestOfANewStudyProposesWhatTheStudysCreationDid(String strategy) throws IOException {
        assertThat(describe(throughTheLearner(study(strategy, false)))).isEqualTo(expected(strategy, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "sobol", "evolutionary", "tpe"})
    void aLogFromBeforeIsReplayedWithTheSameImpliedRequest(String strategy) throws IOException {
        for (boolean fork : List.of(false, true)) {
            StudyCreated study = (StudyCreated) study(strategy, fork).payload();
            assertThat(CounterfactualReplay.impliedFirstRequest(study)).usingRecursiveComparison()
                    .ignoringFields("reason").isEqualTo(learnersFirstRequest(study));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "sobol", "evolutionary", "tpe"})
    void theFirstRequestOfAForkProposesWhatTheForksCreationDid(String strategy) throws IOException {
        assertThat(describe(throughTheLearner(study(strategy, true)))).isEqualTo(expected(strategy, true));
    }

    /** The proposals for the learner's first request, both events having crossed Kafka as JSON. */
    static List<EventPayload> throughTheLearner(EventEnvelope created) {
        EventEnvelope decodedCreated = CODEC.decode(CODEC.encode(created));
        StudyCreated study = (StudyCreated) decodedCreated.payload();
        EventEnvelope request = CODEC.decode(CODEC.encode(decodedCreated.caused(
                EventIds.derived(decodedCreated.eventId(), "strategy-updated:0"), NOW, Services.LEARNER,
                learnersFirstRequest(study))));
        return Proposer.onStrategyUpdated(request, (StrategyUpdated) request.payload(), study, NOW).stream()
                .map(EventEnvelope::payload).toList();
    }

    static List<String> describe(List<EventPayload> proposals) {
        return proposals.stream().map(p -> {
            var created = (dev.seedloop.events.ProposalCreated) p;
            return created.ordinal() + " " + created.operator() + " " + created.parameters() + " parents "
                    + created.parents();
        }).toList();
    }

    /**
     * The sample study under {@code strategy}; as a fork, with 24 evaluated points of its space (one of them invalid)
     * and two it no longer holds, which are the best, so dropping them shows. The recorded batches predate ADR 0030,
     * so tpe runs with the options that give its behaviour of then.
     */
    static EventEnvelope study(String strategy, boolean fork) {
        EventEnvelope sample = SampleEvents.studyCreated("first-batch-" + strategy + (fork ? "-fork" : ""));
        StudyCreated s = (StudyCreated) sample.payload();
        Map<String, String> options = new java.util.LinkedHashMap<>(s.strategyOptions());
        if (strategy.equals(TpeSearch.NAME)) {
            options.putAll(RecordedStudiesReplayTest.TPE_BEFORE_ADR_0030);
        }
        StudyCreated spec = new StudyCreated(s.name(), s.objective(), s.searchSpace(), s.budget(), strategy, s.seed(),
                s.specSha256(), s.workspace(), s.experiment(), s.validation(), s.protectedPaths(), options,
                s.promotion(), s.createdBy(), null);
        if (fork) {
            spec = spec.forkedFrom(origin(spec));
        }
        return sample.withPayload(spec);
    }

    private static StudyOrigin origin(StudyCreated spec) {
        List<StudyOrigin.Proposal> proposals = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Map<String, Object> point = RandomSearch.sample(spec.searchSpace(), 99L, i);
            boolean invalid = i == 5;
            proposals.add(new StudyOrigin.Proposal(EventIds.derived(UUID.nameUUIDFromBytes(new byte[] {1}), "p" + i),
                    i, i % 2 == 0 ? "mutate" : "random", List.of(), point,
                    invalid ? Verdict.INVALID : Verdict.NOT_BETTER, invalid ? null : 1.0 + i * 0.01));
        }
        Map<String, Object> tooFast = new LinkedHashMap<>(proposals.get(0).parameters());
        tooFast.put("learning_rate", 0.5);
        proposals.add(new StudyOrigin.Proposal(EventIds.derived(UUID.nameUUIDFromBytes(new byte[] {1}), "outside"),
                24, "random", List.of(), tooFast, Verdict.NEW_CHAMPION, 0.01));
        return new StudyOrigin("source-study", 120, proposals.getLast().proposalId(), 0.01, proposals, 0);
    }
}
