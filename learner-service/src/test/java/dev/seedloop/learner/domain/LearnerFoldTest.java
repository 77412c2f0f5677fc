package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.Services;
import dev.seedloop.events.TeamQuotaSet;
import dev.seedloop.events.TeamStreams;
import dev.seedloop.learner.projection.application.StateJson;

/**
 * The replay path ({@link LearnerFold}, one working state for many events) against the live path
 * ({@code evolve}, a new state per event) on generated studies: automatic and manual promotion, pauses,
 * failed experiments, reordering and redelivery. They must agree after every single event.
 */
class LearnerFoldTest {

    /**
     * Ten generated studies: four seeds, each under automatic and manual promotion, of several shapes; and two
     * forks, whose first event brings inherited proposals.
     */
    static Stream<Arguments> studies() {
        Stream<Arguments> own = Stream.of(1L, 2L, 3L, 4L).flatMap(seed -> Stream.of(PromotionPolicy.AUTO,
                        PromotionPolicy.MANUAL)
                .map(promotion -> Arguments.of(promotion + " seed " + seed, new StudySimulation.Simulation(seed,
                        promotion).run(20 + 5 * seed.intValue(), 1 + seed.intValue() % 3, 1000 + seed))));
        Stream<Arguments> forks = Stream.of(PromotionPolicy.AUTO, PromotionPolicy.MANUAL).map(promotion -> Arguments.of(
                "fork " + promotion, new StudySimulation.Simulation(5, promotion).forkOf(6).run(18, 2, 1005)));
        return Stream.concat(own, forks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("studies")
    void foldingInOneWorkingStateGivesWhatEvolveGivesAfterEveryEvent(String name, StudySimulation.Run run) {
        LearnerState state = Deciders.DEFAULT.initial();
        LearnerFold fold = Deciders.DEFAULT.fold();

        // The raw deliveries: redeliveries must be ignored by both.
        for (EventEnvelope e : run.delivered()) {
            LearnerState before = state;
            state = Deciders.DEFAULT.evolve(before, e);
            StudyState study = state.study();
            StrategyState strategy = state.strategy();

            assertThat(fold.apply(e)).isEqualTo(state != before);
            assertThat(fold.study()).isEqualTo(study);
            assertThat(fold.strategy()).isEqualTo(strategy);
            assertThat(StateJson.write(fold.study(), fold.strategy())).isEqualTo(StateJson.write(study, strategy));
        }
        assertThat(StateJson.write(fold.study(), fold.strategy())).isEqualTo(run.liveJson());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("studies")
    void freezingOnlyAtTheEndOrAnywhereOnTheWayChangesNothing(String name, StudySimulation.Run run) {
        LearnerFold once = Deciders.DEFAULT.fold();
        run.stored().forEach(once::apply);

        LearnerFold often = Deciders.DEFAULT.fold();
        SplittableRandom rng = new SplittableRandom(name.hashCode());
        for (EventEnvelope e : run.stored()) {
            often.apply(e);
            if (rng.nextInt(4) == 0) {
                often.study();
                often.strategy();
            }
        }

        assertThat(StateJson.write(once.study(), once.strategy())).isEqualTo(run.liveJson());
        assertThat(StateJson.write(often.study(), often.strategy())).isEqualTo(run.liveJson());
        assertThat(once.eventsApplied()).isEqualTo(run.stored().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("studies")
    void aFoldContinuedFromAFrozenStateEndsWhereTheWholeFoldEnds(String name, StudySimulation.Run run) {
        List<EventEnvelope> log = run.stored();
        int cut = log.size() / 3;
        LearnerFold first = Deciders.DEFAULT.fold();
        log.subList(0, cut).forEach(first::apply);

        LearnerFold rest = Deciders.DEFAULT.fold(first.state());
        log.subList(cut, log.size()).forEach(rest::apply);
        // The first fold goes on too: what it handed out must not move with it.
        StudyState handedOut = first.study();
        StrategyState handedOutStrategy = first.strategy();
        String handedOutJson = StateJson.write(handedOut, handedOutStrategy);
        log.subList(cut, log.size()).forEach(first::apply);

        assertThat(StateJson.write(rest.study(), rest.strategy())).isEqualTo(run.liveJson());
        assertThat(StateJson.write(first.study(), first.strategy())).isEqualTo(run.liveJson());
        assertThat(StateJson.write(handedOut, handedOutStrategy)).isEqualTo(handedOutJson);
        assertThat(handedOut.eventsApplied()).isEqualTo(cut);
    }

    @Test
    void keepsOnlyTheLatestObservationsButCountsEveryEvaluation() {
        StudySimulation.Run run = new StudySimulation.Simulation(11).run(StudyState.OBSERVATIONS_KEPT + 40, 4, 5L);
        LearnerFold fold = Deciders.DEFAULT.fold();
        run.stored().forEach(fold::apply);

        StudyState s = fold.study();
        assertThat(s.evaluations()).isGreaterThan(StudyState.OBSERVATIONS_KEPT);
        assertThat(s.observations()).hasSize(StudyState.OBSERVATIONS_KEPT);
        assertThat(s.lineage()).hasSize(s.proposals());
        assertThat(StateJson.write(s, fold.strategy())).isEqualTo(run.liveJson());
    }

    @Test
    void ignoresTeamStreamEvents() {
        EventEnvelope quota = new EventEnvelope(UUID.randomUUID(), TeamStreams.streamId("team-a"), "team-a",
                Instant.parse("2026-01-01T00:00:00Z"), null, UUID.randomUUID(), Services.GATEWAY,
                new TeamQuotaSet(2, 10, "admin"));
        LearnerFold fold = Deciders.DEFAULT.fold();

        assertThat(fold.apply(quota)).isFalse();
        assertThat(fold.study()).isEqualTo(StudyState.EMPTY);
        assertThat(fold.eventsApplied()).isZero();
    }
}
