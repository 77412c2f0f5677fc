package dev.seedloop.proposer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;
import dev.seedloop.events.Verdict;

/** A fork's strategy starts from what its source learned, within the fork's own search space. */
class ForkProposalsTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final int INSIDE = 24;

    private final EventEnvelope plain = SampleEvents.studyCreated(SampleEvents.newStudyId());
    private final StudyCreated spec = (StudyCreated) plain.payload();
    private final List<UUID> outside = List.of(UUID.randomUUID(), UUID.randomUUID());

    /** 24 evaluated points of the sample space, and two the space no longer holds (they are the best ones). */
    private StudyOrigin origin() {
        List<StudyOrigin.Proposal> proposals = new ArrayList<>();
        for (int i = 0; i < INSIDE; i++) {
            Map<String, Object> point = RandomSearch.sample(spec.searchSpace(), 99L, i);
            proposals.add(new StudyOrigin.Proposal(UUID.randomUUID(), i, "random", List.of(), point,
                    Verdict.NOT_BETTER, 1.0 + i * 0.01));
        }
        Map<String, Object> tooFast = new LinkedHashMap<>(proposals.get(0).parameters());
        tooFast.put("learning_rate", 0.5);
        Map<String, Object> goneOptimizer = new LinkedHashMap<>(proposals.get(1).parameters());
        goneOptimizer.put("optimizer", "rmsprop");
        proposals.add(new StudyOrigin.Proposal(outside.get(0), INSIDE, "random", List.of(), tooFast,
                Verdict.NEW_CHAMPION, 0.01));
        proposals.add(new StudyOrigin.Proposal(outside.get(1), INSIDE + 1, "random", List.of(), goneOptimizer,
                Verdict.NEW_CHAMPION, 0.02));
        return new StudyOrigin("source-study", 120, outside.get(0), 0.01, proposals, 0);
    }

    private static List<ProposalCreated> proposals(List<EventEnvelope> events) {
        return events.stream().map(e -> (ProposalCreated) e.payload()).toList();
    }

    @Test
    void aForksFirstBatchBuildsOnTheInheritedPointsThatFitItsSpace() {
        StudyCreated fork = spec.forkedFrom(origin());
        Set<UUID> inheritedInside = fork.origin().proposals().stream().map(StudyOrigin.Proposal::proposalId)
                .filter(id -> !outside.contains(id)).collect(Collectors.toSet());

        List<ProposalCreated> fresh = proposals(ProposerTest.firstBatch(plain));
        List<ProposalCreated> forked = proposals(ProposerTest.firstBatch(plain.withPayload(fork)));

        assertThat(fresh).allSatisfy(p -> assertThat(p.parents()).as("a new study samples the space").isEmpty());
        assertThat(forked).hasSize(spec.budget().parallelism());
        List<UUID> parents = forked.stream().flatMap(p -> p.parents().stream()).toList();
        assertThat(parents).as("the fork's first proposals derive from inherited ones").isNotEmpty();
        assertThat(inheritedInside).containsAll(parents);
        assertThat(parents).doesNotContainAnyElementsOf(outside);
        assertThat(forked).allSatisfy(p -> assertThat(spec.searchSpace().admits(p.parameters())).isTrue());
        assertThat(proposals(ProposerTest.firstBatch(plain.withPayload(fork)))).as("deterministic").isEqualTo(forked);
    }

    @Test
    void laterRequestsLeaveOutInheritedPointsTheSpaceNoLongerHolds() {
        StudyCreated fork = spec.forkedFrom(origin());
        List<dev.seedloop.events.Observation> sent = fork.origin().proposals().stream()
                .map(StudyOrigin.Proposal::observation).toList();
        StrategyUpdated update = new StrategyUpdated(1, 2, Map.of(), "evaluation", 2, sent);

        StrategyInput input = Proposer.updateInput(fork, update);

        assertThat(input.history()).hasSize(INSIDE);
        assertThat(input.history()).extracting(Observation::proposalId).doesNotContainAnyElementsOf(outside);
        assertThat(Proposer.updateInput(spec, update).history()).as("not a fork: nothing is filtered")
                .hasSize(INSIDE + 2);
    }
}
