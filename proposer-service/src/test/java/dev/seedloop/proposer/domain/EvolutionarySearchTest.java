package dev.seedloop.proposer.domain;

import static dev.seedloop.proposer.domain.StrategyFixtures.MIXED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.SearchSpace;

class EvolutionarySearchTest {

    private static final SearchSpace LINE = new SearchSpace(List.of(Parameter.floating("x", 0, 1, false)));
    private static final List<Observation> HISTORY =
            StrategyFixtures.history(MIXED, 7, 30, StrategyFixtures::mixedObjective);

    @Test
    void startsWithSobolPointsUntilTheWarmupIsFilled() {
        List<Observation> few = HISTORY.subList(0, 9);
        List<Candidate> early = EvolutionarySearch.INSTANCE.propose(StrategyFixtures.input(MIXED, 7, 9, few), 4);
        assertThat(early).allSatisfy(c -> {
            assertThat(c.operator()).isEqualTo("sobol");
            assertThat(c.parents()).isEmpty();
        });
        List<Candidate> later = EvolutionarySearch.INSTANCE.propose(StrategyFixtures.input(MIXED, 7, 30, HISTORY), 40);
        assertThat(later).extracting(Candidate::operator).contains("mutate", "crossover").doesNotContain("sobol");
    }

    @Test
    void theLearnersWeightsChooseTheOperatorAndSetTheLineage() {
        assertThat(withWeights(Map.of("mutate", 1.0))).allSatisfy(c -> {
            assertThat(c.operator()).isEqualTo("mutate");
            assertThat(c.parents()).hasSize(1);
        });
        assertThat(withWeights(Map.of("crossover", 2.0, "unknown", 5.0))).allSatisfy(c -> {
            assertThat(c.operator()).isEqualTo("crossover");
            assertThat(c.parents()).hasSize(2).doesNotHaveDuplicates();
        });
        assertThat(withWeights(Map.of("random", 1.0, "mutate", 0.0))).allSatisfy(c -> {
            assertThat(c.operator()).isEqualTo("random");
            assertThat(c.parents()).isEmpty();
            assertThat(c.parameters()).isEqualTo(RandomSearch.sample(MIXED, 7, c.ordinal()));
        });
        assertThat(withWeights(Map.of("mutate", 0.0))).as("all-zero weights fall back to the defaults")
                .extracting(Candidate::operator).contains("mutate", "crossover");
    }

    @Test
    void theStepSizeGrowsWhenMutationsSucceedAndShrinksWhenTheyFail() {
        double initial = EvolutionarySearch.stepSize(lineInput(List.of()), 3);
        double afterSuccesses = EvolutionarySearch.stepSize(lineInput(mutations(true)), 3);
        double afterFailures = EvolutionarySearch.stepSize(lineInput(mutations(false)), 3);

        assertThat(initial).isEqualTo(EvolutionarySearch.INITIAL_SIGMA);
        assertThat(afterSuccesses).isGreaterThan(initial);
        assertThat(afterFailures).isLessThan(initial);
    }

    @Test
    void theStepSizeIsStationaryAtAOneInFiveSuccessRate() {
        List<Observation> history = new ArrayList<>(mutations(false).subList(0, 10));
        double best = -1;
        for (int i = 0; i < 50; i++) {
            boolean success = i % 5 == 0;
            best = success ? best - 1 : best;
            history.add(new Observation(StrategyFixtures.id(100 + i), Map.of("x", 0.5), success ? best : 100.0, "mutate"));
        }
        double sigma = EvolutionarySearch.stepSize(lineInput(history), 3);
        assertThat(sigma).isCloseTo(EvolutionarySearch.stepSize(lineInput(history.subList(0, 10)), 3),
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void maximisingPicksTheLargestValuesAsElites() {
        List<Observation> history = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            history.add(new Observation(StrategyFixtures.id(i), Map.of("x", i / 12.0), (double) i, "sobol"));
        }
        StrategyInput input = new StrategyInput(LINE, Direction.MAXIMIZE, 1, 12, history, Map.of("mutate", 1.0),
                Map.of("elites", "2"));
        assertThat(EvolutionarySearch.INSTANCE.propose(input, 20)).allSatisfy(c ->
                assertThat(c.parents()).containsAnyOf(StrategyFixtures.id(11), StrategyFixtures.id(10)));
    }

    private static List<Candidate> withWeights(Map<String, Double> weights) {
        StrategyInput input = new StrategyInput(MIXED, Direction.MINIMIZE, 7, 30, HISTORY, weights, Map.of());
        return EvolutionarySearch.INSTANCE.propose(input, 30);
    }

    private static StrategyInput lineInput(List<Observation> history) {
        return new StrategyInput(LINE, Direction.MINIMIZE, 1, history.size(), history, Map.of(), Map.of());
    }

    /** Ten start-up points, then twenty mutations that each set a new best or each lose. */
    private static List<Observation> mutations(boolean improving) {
        List<Observation> history = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            history.add(new Observation(StrategyFixtures.id(i), Map.of("x", i / 10.0), 10.0 + i, "sobol"));
        }
        for (int i = 0; i < 20; i++) {
            history.add(new Observation(StrategyFixtures.id(10 + i), Map.of("x", 0.5), improving ? 5.0 - i : 50.0, "mutate"));
        }
        return history;
    }
}
