package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Observation;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyOrigin;
import dev.seedloop.learner.projection.application.JsonEncodedSize;

/**
 * A fork of an llm study builds on the code its source ran (ADR 0023 "Forks and replays"): the origin carries each
 * inherited proposal's tree, and the fork's requests show it, so the proposer edits that code and not the seed's.
 */
class LlmForkTest {

    @Test
    void aForksRequestsShowTheCodeItsInheritedProposalsRan() {
        LlmStudy source = LlmStudy.llm(Map.of(), null);
        source.ordinal(0, "mutate@small/default", 0.01, List.of(), 0.5, "ok");
        source.ordinal(1, "mutate@small/default", 0.01, List.of(LlmStudy.proposal(0)), 0.4, "ok");

        StudyOrigin origin = ForkOrigin.from(source.study(), source.log.size(), JsonEncodedSize.INSTANCE);
        assertThat(origin.proposals()).extracting(StudyOrigin.Proposal::tree)
                .containsExactly(LlmStudy.tree(0), LlmStudy.tree(1));

        LlmStudy fork = LlmStudy.forkOf(origin);
        StrategyUpdated first = fork.said.stream().map(e -> e.payload()).filter(StrategyUpdated.class::isInstance)
                .map(StrategyUpdated.class::cast).findFirst().orElseThrow();
        assertThat(first.observations()).extracting(Observation::proposalId)
                .containsExactly(LlmStudy.proposal(0), LlmStudy.proposal(1));
        assertThat(first.observations()).extracting(Observation::tree).as("the code each inherited proposal ran")
                .containsExactly(LlmStudy.tree(0), LlmStudy.tree(1));
        assertThat(first.observations().get(1).parents()).containsExactly(LlmStudy.proposal(0));
    }

    @Test
    void aParameterStudysOriginCarriesNoCode() {
        LlmStudy source = LlmStudy.of("evolutionary", Map.of(), null, 10);
        source.ordinal(0, "mutate", 0.0, List.of(), 0.5, "ok");

        StudyOrigin origin = ForkOrigin.from(source.study(), source.log.size(), JsonEncodedSize.INSTANCE);
        assertThat(origin.proposals()).singleElement().satisfies(p -> assertThat(p.tree()).isNull());
    }
}
