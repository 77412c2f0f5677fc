package dev.seedloop.proposer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.ParameterKind;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.SearchSpace;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.SampleEvents;

class ProposerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    /** The learner's first request of a study (ADR 0021): its first batch, as many as the parallelism. */
    static EventEnvelope firstRequest(EventEnvelope created) {
        StudyCreated study = (StudyCreated) created.payload();
        return created.caused(EventIds.derived(created.eventId(), "strategy-updated:0"), NOW, Services.LEARNER,
                FirstBatchRequestTest.learnersFirstRequest(study));
    }

    static List<EventEnvelope> firstBatch(EventEnvelope created) {
        EventEnvelope request = firstRequest(created);
        return Proposer.onStrategyUpdated(request, (StrategyUpdated) request.payload(), (StudyCreated) created.payload(),
                NOW);
    }

    @Test
    void aStudysCreationProposesNothingItselfAndTheFirstRequestIsDeterministic() {
        EventEnvelope cause = SampleEvents.studyCreated(SampleEvents.newStudyId());
        StudyCreated study = (StudyCreated) cause.payload();
        assertThat(Proposer.proposalsFor(cause, study, NOW, ordinal -> true)).as("a creation is no request").isEmpty();

        List<EventEnvelope> first = firstBatch(cause);
        List<EventEnvelope> again = firstBatch(cause);

        assertThat(first).hasSize(study.budget().parallelism());
        assertThat(again).isEqualTo(first);
        assertThat(first).extracting(EventEnvelope::eventId).doesNotHaveDuplicates();
        assertThat(first).extracting(e -> ((ProposalCreated) e.payload()).parameters())
                .doesNotHaveDuplicates();
    }

    @Test
    void samplesStayInsideTheSearchSpace() {
        SearchSpace space = new SearchSpace(List.of(
                new Parameter("rate", ParameterKind.FLOAT, 1e-4, 1.0, true, List.of()),
                new Parameter("depth", ParameterKind.INT, 2.0, 5.0, false, List.of()),
                new Parameter("fit", ParameterKind.CATEGORICAL, null, null, false, List.of("best", "first"))));
        boolean sawHighDepth = false;
        for (int ordinal = 0; ordinal < 2_000; ordinal++) {
            Map<String, Object> point = RandomSearch.sample(space, 42L, ordinal);
            assertThat((Double) point.get("rate")).isBetween(1e-4, 1.0);
            assertThat((Long) point.get("depth")).isBetween(2L, 5L);
            assertThat(point.get("fit")).isIn("best", "first");
            sawHighDepth |= (Long) point.get("depth") == 5L;
        }
        assertThat(sawHighDepth).as("the upper int bound is reachable").isTrue();
        assertThat(RandomSearch.sample(space, 42L, 7)).isEqualTo(RandomSearch.sample(space, 42L, 7));
        assertThat(RandomSearch.sample(space, 42L, 7)).isNotEqualTo(RandomSearch.sample(space, 43L, 7));
    }

    @Test
    void everyProposalNamesTheStudysWorkspaceTreeAsItsParent() {
        EventEnvelope cause = SampleEvents.studyCreated();
        StudyCreated study = (StudyCreated) cause.payload();

        List<EventEnvelope> proposals = firstBatch(cause);

        assertThat(proposals).isNotEmpty().allSatisfy(e -> assertThat(((ProposalCreated) e.payload()).parentTree())
                .isNotNull().isEqualTo(study.workspace().tree()));
    }

    @Test
    void aStudyFromBeforeUploadsHasProposalsWithoutAParentTree() {
        EventEnvelope cause = SampleEvents.studyCreated(SampleEvents.newStudyId());
        StudyCreated study = (StudyCreated) cause.payload();
        assertThat(study.workspace().isLegacyLocation()).isTrue();

        assertThat(firstBatch(cause))
                .isNotEmpty().allSatisfy(e -> assertThat(((ProposalCreated) e.payload()).parentTree()).isNull());
    }
}
