package dev.seedloop.proposer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.SearchSpace;

class TpeSearchTest {

    @Test
    void prefersTheGoodRegionOfAOneDimensionalProblem() {
        SearchSpace line = new SearchSpace(List.of(Parameter.floating("x", 0, 1, false)));
        List<Observation> history = StrategyFixtures.history(line, 3, 30,
                p -> Math.pow((Double) p.get("x") - 0.8, 2));

        List<Candidate> tpe = TpeSearch.INSTANCE.propose(StrategyFixtures.input(line, 3, 30, history), 40);
        List<Candidate> random = RandomSearch.INSTANCE.propose(StrategyFixtures.input(line, 3, 30, history), 40);

        assertThat(nearOptimum(tpe, 0.8)).isGreaterThanOrEqualTo(30);
        assertThat(nearOptimum(tpe, 0.8)).isGreaterThan(nearOptimum(random, 0.8) * 2);
        assertThat(tpe).allSatisfy(c -> assertThat(c.operator()).isEqualTo("tpe"));
    }

    @Test
    void maximisingFlipsWhichRegionIsGood() {
        SearchSpace line = new SearchSpace(List.of(Parameter.floating("x", 0, 1, false)));
        List<Observation> history = StrategyFixtures.history(line, 3, 30,
                p -> -Math.pow((Double) p.get("x") - 0.2, 2));
        StrategyInput input = new StrategyInput(line, Direction.MAXIMIZE, 3, 30, history, Map.of(), Map.of());

        assertThat(nearOptimum(TpeSearch.INSTANCE.propose(input, 40), 0.2)).isGreaterThanOrEqualTo(30);
    }

    @Test
    void learnsWhichCategoricalChoiceIsGoodInBothModes() {
        SearchSpace space = new SearchSpace(List.of(Parameter.categorical("fit", List.of("a", "b", "c", "d"))));
        List<Observation> history = StrategyFixtures.history(space, 5, 24, p -> p.get("fit").equals("c") ? 0.0 : 1.0);
        for (String multivariate : List.of("true", "false")) {
            StrategyInput input = new StrategyInput(space, Direction.MINIMIZE, 5, 24, history, Map.of(),
                    Map.of("multivariate", multivariate));
            long picks = TpeSearch.INSTANCE.propose(input, 40).stream().filter(c -> c.parameters().get("fit").equals("c")).count();
            assertThat(picks).as("multivariate=" + multivariate).isGreaterThanOrEqualTo(30);
        }
    }

    private static long nearOptimum(List<Candidate> candidates, double optimum) {
        return candidates.stream().filter(c -> Math.abs((Double) c.parameters().get("x") - optimum) < 0.1).count();
    }
}
