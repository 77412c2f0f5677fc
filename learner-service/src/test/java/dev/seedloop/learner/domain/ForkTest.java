package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventLimits;
import dev.seedloop.events.Observation;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;
import dev.seedloop.events.Verdict;
import dev.seedloop.learner.projection.application.StateJson;
import dev.seedloop.learner.query.domain.StudyViews;
import dev.seedloop.learner.projection.application.JsonEncodedSize;
import dev.seedloop.queries.Views;

/** A fork inherits what its source knew at the fork point, and nothing of what came after. */
class ForkTest {

    private final Events source = new Events();

    /** Source: 0 and 1 evaluated (1 beats 0), 2 made from 1 and in flight, then 2 evaluated later. */
    private List<EventEnvelope> sourceLog() {
        List<EventEnvelope> log = new ArrayList<>();
        log.add(source.created(Direction.MINIMIZE, null, 10, 3600, 2, 7));
        log.add(source.proposed(Events.proposal(0), 0, "random", List.of()));
        log.add(source.proposed(Events.proposal(1), 1, "random", List.of()));
        log.add(source.evaluated(Events.proposal(0), Verdict.NEW_CHAMPION, 0.4));
        log.add(source.evaluated(Events.proposal(1), Verdict.NEW_CHAMPION, 0.3));
        log.add(source.proposed(Events.proposal(2), 2, "mutate", List.of(Events.proposal(1))));
        log.add(source.evaluated(Events.proposal(2), Verdict.NEW_CHAMPION, 0.2));
        return log;
    }

    private static StudyState fold(List<EventEnvelope> log) {
        return StudyFold.replay(log);
    }

    @Test
    void anOriginHoldsTheEvaluatedProposalsAndTheChampionAtTheForkPointOnly() {
        List<EventEnvelope> log = sourceLog();
        StudyOrigin origin = ForkOrigin.from(fold(log.subList(0, 6)), 6, JsonEncodedSize.INSTANCE);

        assertThat(origin.studyId()).isEqualTo(Events.STUDY);
        assertThat(origin.atSequence()).isEqualTo(6);
        assertThat(origin.proposals()).extracting(StudyOrigin.Proposal::proposalId)
                .as("proposal 2 was in flight at 6: nothing was known of it")
                .containsExactly(Events.proposal(0), Events.proposal(1));
        assertThat(origin.proposals()).extracting(StudyOrigin.Proposal::value).containsExactly(0.4, 0.3);
        assertThat(origin.championProposalId()).isEqualTo(Events.proposal(1));
        assertThat(origin.championValue()).isEqualTo(0.3);
        assertThat(origin.proposalsOmitted()).isZero();

        StudyOrigin atHead = ForkOrigin.from(fold(log), log.size(), JsonEncodedSize.INSTANCE);
        assertThat(atHead.proposals()).extracting(StudyOrigin.Proposal::proposalId)
                .containsExactly(Events.proposal(0), Events.proposal(1), Events.proposal(2));
        assertThat(atHead.proposals().get(2).parents()).containsExactly(Events.proposal(1));
        assertThat(atHead.championValue()).isEqualTo(0.2);
    }

    @Test
    void aLongSourceGivesItsLatestEvaluatedProposalsAndCountsTheRest() {
        Events big = new Events();
        List<EventEnvelope> log = new ArrayList<>();
        log.add(big.created(Direction.MINIMIZE, null, 1000, 3600, 4, 1));
        int total = StudyOrigin.MAX_INHERITED + 25;
        for (int i = 0; i < total; i++) {
            log.add(big.proposed(Events.proposal(i), i, "random", List.of()));
            log.add(big.evaluated(Events.proposal(i), Verdict.NOT_BETTER, 1.0 + i));
        }
        StudyOrigin origin = ForkOrigin.from(fold(log), log.size(), JsonEncodedSize.INSTANCE);

        assertThat(origin.proposals()).hasSize(StudyOrigin.MAX_INHERITED);
        assertThat(origin.proposalsOmitted()).isEqualTo(25);
        assertThat(origin.proposals().get(0).proposalId()).isEqualTo(Events.proposal(25));
        assertThat(origin.proposals().getLast().proposalId()).isEqualTo(Events.proposal(total - 1));
    }

    @Test
    void aForkStartsWithTheInheritedLineageAndHistoryButNoneOfItsOwnCounts() {
        List<EventEnvelope> log = sourceLog();
        StudyOrigin origin = ForkOrigin.from(fold(log.subList(0, 6)), 6, JsonEncodedSize.INSTANCE);
        Events forked = new Events();
        EventEnvelope created = forked.envelope(Services.GATEWAY,
                ((StudyCreated) log.get(0).payload()).forkedFrom(origin));
        UUID own = UUID.fromString("00000000-0000-7000-8000-00000000f001");
        EventEnvelope child = forked.proposed(own, 0, "mutate", List.of(Events.proposal(1)));

        StudyState fork = fold(List.of(created, child));

        assertThat(fork.origin()).isEqualTo(new ForkOrigin(Events.STUDY, 6, Events.proposal(1), 0.3, 2, 0));
        assertThat(fork.lineage().keySet()).containsExactly(Events.proposal(0), Events.proposal(1), own);
        assertThat(fork.lineage().get(Events.proposal(1)).inheritedFrom()).isEqualTo(Events.STUDY);
        assertThat(fork.lineage().get(own).inheritedFrom()).isNull();
        assertThat(fork.lineage().get(own).parents()).containsExactly(Events.proposal(1));
        assertThat(fork.observations()).extracting(Observation::proposalId)
                .containsExactly(Events.proposal(0), Events.proposal(1));
        assertThat(fork.proposals()).isEqualTo(1);
        assertThat(fork.evaluations()).isZero();
        assertThat(fork.budgetUsed()).isZero();
        assertThat(fork.championProposalId()).as("the fork's champion is its own to establish").isNull();

        Views.LineageView lineage = StudyViews.lineage(fork);
        assertThat(lineage.origin().studyId()).isEqualTo(Events.STUDY);
        assertThat(lineage.origin().inherited()).isEqualTo(2);
        assertThat(lineage.nodes()).extracting(Views.LineageNodeView::inheritedFrom)
                .containsExactly(Events.STUDY, Events.STUDY, null);
        assertThat(lineage.champions()).isEmpty();
        assertThat(StudyViews.study(fork).origin().atSequence()).isEqualTo(6);
    }

    @Test
    void theLearnerSendsTheInheritedHistoryWithItsFirstRequest() {
        List<EventEnvelope> log = sourceLog();
        StudyOrigin origin = ForkOrigin.from(fold(log), log.size(), JsonEncodedSize.INSTANCE);
        Events forked = new Events();
        EventEnvelope created = forked.envelope(Services.GATEWAY,
                ((StudyCreated) log.get(0).payload()).forkedFrom(origin));
        UUID own = UUID.fromString("00000000-0000-7000-8000-00000000f002");
        List<EventEnvelope> firstRequest = LearnerDecider.decide(StudyState.EMPTY, fold(List.of(created)),
                StrategyState.initial(StrategySettings.DEFAULTS), created, created.occurredAt(), JsonEncodedSize.INSTANCE);
        StrategyUpdated first = (StrategyUpdated) firstRequest.getFirst().payload();
        assertThat(first.nextOrdinal()).isZero();
        assertThat(first.operatorWeights()).as("the strategies' defaults, as the first batch always had").isEmpty();
        assertThat(first.observations()).as("the first batch: what the fork inherited, as it inherited it")
                .containsExactlyElementsOf(origin.proposals().stream().map(StudyOrigin.Proposal::observation).toList());
        StudyState before = fold(List.of(created, firstRequest.getFirst(), forked.proposed(own, 0, "random",
                List.of())));
        EventEnvelope evaluation = forked.evaluated(own, Verdict.NEW_CHAMPION, 0.25);
        LearnerState beforeState = new LearnerState(before, StrategyState.initial(StrategySettings.DEFAULTS));
        LearnerState afterState = Deciders.DEFAULT.evolve(beforeState, evaluation);
        StudyState after = afterState.study();

        List<EventEnvelope> decided = Deciders.DEFAULT.decide(beforeState, afterState, evaluation,
                Instant.parse("2026-01-01T00:10:00Z"));

        StrategyUpdated update = (StrategyUpdated) decided.getFirst().payload();
        assertThat(update.observations()).extracting(Observation::proposalId)
                .containsExactly(Events.proposal(0), Events.proposal(1), Events.proposal(2), own);
        assertThat(after.championProposalId()).isEqualTo(own);
    }

    @Test
    void aBoundedStateKeepsTheLatestLineageAndCountsAll() throws Exception {
        StudyState state = fold(sourceLog());
        StrategyState strategy = StrategyState.initial(StrategySettings.DEFAULTS);
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();

        var bounded = mapper.readTree(StateJson.write(state, strategy, 2)).path("study");
        var whole = mapper.readTree(StateJson.write(state, strategy)).path("study");

        assertThat(whole.path("lineage")).hasSize(3);
        assertThat(bounded.path("lineageTotal").asInt()).isEqualTo(3);
        assertThat(bounded.path("lineage")).hasSize(2);
        assertThat(bounded.path("lineage").get(0)).isEqualTo(whole.path("lineage").get(1));
        assertThat(bounded.path("lineage").get(1)).isEqualTo(whole.path("lineage").get(2));
    }

    /**
     * The origin travels inside the fork's StudyCreated, beside its spec: with wide parameter maps (~4.5 KB a
     * proposal) 500 inherited proposals would make an event of over 2 MB that Kafka refuses. The latest that fit a
     * byte budget are inherited and the rest counted as omitted.
     */
    @Test
    void anOriginOfWideProposalsIsBoundedByBytesKeepingTheLatest() {
        Events big = new Events();
        List<EventEnvelope> log = new ArrayList<>();
        EventEnvelope created = big.created(Direction.MINIMIZE, null, 1000, 3600, 4, 1);
        log.add(created);
        int total = StudyOrigin.MAX_INHERITED;
        for (int i = 0; i < total; i++) {
            log.add(big.envelope(Services.PROPOSER, new ProposalCreated(Events.proposal(i), i, "evolutionary", "random",
                    LearnerDeciderTest.wideParameters(i), List.of())));
            log.add(big.evaluated(Events.proposal(i), Verdict.NOT_BETTER, 1.0 + i));
        }

        StudyOrigin origin = ForkOrigin.from(fold(log), log.size(), JsonEncodedSize.INSTANCE);

        EventEnvelope fork = big.envelope(Services.GATEWAY, ((StudyCreated) created.payload()).forkedFrom(origin));
        assertThat(new EventCodec().encode(fork).length).as("the fork's StudyCreated")
                .isLessThanOrEqualTo(EventLimits.MAX_EVENT_BYTES);
        assertThat(origin.proposals()).as("not everything fits").hasSizeLessThan(total).isNotEmpty();
        assertThat(origin.proposalsOmitted() + origin.proposals().size()).isEqualTo(total);
        assertThat(origin.proposals().getFirst().proposalId()).isEqualTo(Events.proposal(origin.proposalsOmitted()));
        assertThat(origin.proposals().getLast().proposalId()).isEqualTo(Events.proposal(total - 1));
    }
}
