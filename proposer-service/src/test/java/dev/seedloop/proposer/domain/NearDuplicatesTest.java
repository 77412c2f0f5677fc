package dev.seedloop.proposer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.SearchSpace;

/** A proposal the study could not tell apart from a point it ran or runs gives way to a distinct one. */
class NearDuplicatesTest {

    private static final SearchSpace DEMO = new SearchSpace(List.of(
            Parameter.floating("gap_penalty", 0, 100, false), Parameter.integer("gap_threshold", 1, 40),
            Parameter.categorical("penalty_shape", List.of("step", "ramp"))));

    @Test
    void theDemosTwoPenaltiesAreOneButAnotherThresholdShapeOrAWiderGapIsNew() {
        UnitSpace unit = new UnitSpace(DEMO);
        NearDuplicates taken = taken(DEMO, point(37.02705114486828, 25L, "step"));

        assertThat(taken.isDuplicate(unit.encode(point(37.07451692967252, 25L, "step")))).isTrue();
        assertThat(taken.isDuplicate(unit.encode(point(37.2, 25L, "step")))).isFalse();
        assertThat(taken.isDuplicate(unit.encode(point(37.03, 26L, "step")))).isFalse();
        assertThat(taken.isDuplicate(unit.encode(point(37.03, 25L, "ramp")))).isFalse();
    }

    @Test
    void aLogScaleAxisIsComparedOnItsLogScale() {
        SearchSpace rate = new SearchSpace(List.of(Parameter.floating("rate", 1e-4, 1, true)));
        UnitSpace unit = new UnitSpace(rate);
        NearDuplicates taken = taken(rate, Map.of("rate", 1e-3));

        // 1% apart: far on a log scale spanning four decades (0.1% of it is 0.9%), though 1e-5 of the linear range.
        assertThat(taken.isDuplicate(unit.encode(Map.of("rate", 1.01e-3)))).isFalse();
        assertThat(taken.isDuplicate(unit.encode(Map.of("rate", 1.005e-3)))).isTrue();
    }

    @Test
    void tpeGivesWayToTheNextBestCandidateWhenItsFirstChoiceIsInFlight() {
        StrategyInput input = demoInput(Map.of(), List.of());
        Candidate first = TpeSearch.INSTANCE.propose(input, 1).get(0);
        Map<String, Object> nearFirst = new LinkedHashMap<>(first.parameters());
        nearFirst.put("gap_penalty", (Double) nearFirst.get("gap_penalty") + 0.05);

        Candidate instead = TpeSearch.INSTANCE.propose(demoInput(Map.of(), List.of(nearFirst)), 1).get(0);
        Candidate withoutTheCheck = TpeSearch.INSTANCE.propose(
                demoInput(Map.of("duplicateTolerance", "-1"), List.of(nearFirst)), 1).get(0);

        assertThat(withoutTheCheck.parameters()).isEqualTo(first.parameters());
        // Told apart by hand, not by the class under test: another threshold or shape, or a penalty 0.1 away.
        assertThat(!instead.parameters().get("gap_threshold").equals(nearFirst.get("gap_threshold"))
                || !instead.parameters().get("penalty_shape").equals(nearFirst.get("penalty_shape"))
                || Math.abs((Double) instead.parameters().get("gap_penalty") - (Double) nearFirst.get("gap_penalty")) > 0.1)
                .as("%s against the pending %s", instead.parameters(), nearFirst).isTrue();
        assertThat(instead.ordinal()).isEqualTo(first.ordinal());
    }

    @Test
    void aBatchOnADiscreteSpaceNeverRepeatsACellWhileOneIsFreeAndStillProposesWhenNoneIs() {
        SearchSpace cells = new SearchSpace(List.of(Parameter.integer("k", 1, 3),
                Parameter.categorical("c", List.of("a", "b"))));
        List<Observation> history = new ArrayList<>();
        history.add(observation(0, Map.of("k", 1L, "c", "a"), 1.0));
        history.add(observation(1, Map.of("k", 2L, "c", "a"), 2.0));
        StrategyInput input = new StrategyInput(cells, Direction.MINIMIZE, 5, 2, history, Map.of(),
                Map.of("warmup", "2"));

        List<Candidate> batch = TpeSearch.INSTANCE.propose(input, 6);

        List<Map<String, Object>> proposed = batch.stream().map(Candidate::parameters).toList();
        assertThat(proposed.subList(0, 4)).doesNotHaveDuplicates()
                .doesNotContain(Map.of("k", 1L, "c", "a"), Map.of("k", 2L, "c", "a"));
        assertThat(batch).hasSize(6);
    }

    private static StrategyInput demoInput(Map<String, String> options, List<Map<String, Object>> pending) {
        List<Observation> history = StrategyFixtures.history(DEMO, 7, 20,
                p -> Math.abs((Double) p.get("gap_penalty") - 37) + Math.abs((Long) p.get("gap_threshold") - 25));
        return new StrategyInput(DEMO, Direction.MINIMIZE, 7, 20, history, Map.of(), options, pending);
    }

    private static NearDuplicates taken(SearchSpace space, Map<String, Object> point) {
        StrategyInput input = new StrategyInput(space, Direction.MINIMIZE, 1, 1,
                List.of(observation(0, point, 1.0)), Map.of(), Map.of());
        return new NearDuplicates(new UnitSpace(space), input, 1e-3);
    }

    private static Observation observation(int ordinal, Map<String, Object> point, Double value) {
        return new Observation(StrategyFixtures.id(ordinal), point, value, "test");
    }

    private static Map<String, Object> point(double penalty, long threshold, String shape) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("gap_penalty", penalty);
        p.put("gap_threshold", threshold);
        p.put("penalty_shape", shape);
        return p;
    }
}
