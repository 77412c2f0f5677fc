package dev.seedloop.proposer.domain;

import static dev.seedloop.proposer.domain.StrategyFixtures.MIXED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.StrategyNames;

/** What every registered strategy promises, checked both in start-up and with a real history. */
class StrategyContractTest {

    static List<String> names() {
        return Strategies.names();
    }

    private static final List<Observation> HISTORY =
            StrategyFixtures.history(MIXED, 7, 30, StrategyFixtures::mixedObjective);

    @ParameterizedTest
    @MethodSource("names")
    void sameInputGivesSameCandidatesAndAnotherSeedDifferentOnes(String name) {
        Strategy strategy = Strategies.byName(name);
        for (List<Observation> history : List.of(List.<Observation>of(), HISTORY)) {
            List<Candidate> first = strategy.propose(StrategyFixtures.input(MIXED, 7, 30, history), 6);
            List<Candidate> again = strategy.propose(StrategyFixtures.input(MIXED, 7, 30, history), 6);
            List<Candidate> otherSeed = strategy.propose(StrategyFixtures.input(MIXED, 8, 30, history), 6);

            assertThat(again).isEqualTo(first);
            assertThat(otherSeed.stream().map(Candidate::parameters).toList())
                    .isNotEqualTo(first.stream().map(Candidate::parameters).toList());
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void aBatchIsTheSameAsItsCandidatesProposedOneByOneEachWithTheEarlierOnesPending(String name) {
        Strategy strategy = Strategies.byName(name);
        List<Candidate> batch = strategy.propose(StrategyFixtures.input(MIXED, 3, 30, HISTORY), 5);
        List<Candidate> single = new ArrayList<>();
        for (int ordinal = 30; ordinal < 35; ordinal++) {
            StrategyInput base = StrategyFixtures.input(MIXED, 3, ordinal, HISTORY);
            single.addAll(strategy.propose(new StrategyInput(base.space(), base.direction(), base.seed(), ordinal,
                    base.history(), base.operatorWeights(), base.options(),
                    single.stream().map(Candidate::parameters).toList()), 1));
        }
        assertThat(single).isEqualTo(batch);
    }

    @ParameterizedTest
    @MethodSource("names")
    void candidatesStayInsideTheSpaceWithTheContractTypes(String name) {
        Strategy strategy = Strategies.byName(name);
        Set<Object> depths = new java.util.HashSet<>();
        Set<Object> fits = new java.util.HashSet<>();
        for (List<Observation> history : List.of(List.<Observation>of(), HISTORY)) {
            for (Candidate c : strategy.propose(StrategyFixtures.input(MIXED, 11, 30, history), 300)) {
                Map<String, Object> p = c.parameters();
                assertThat(p.keySet()).containsExactly("rate", "momentum", "depth", "flag", "fit");
                assertThat(p.get("rate")).isInstanceOf(Double.class);
                assertThat((Double) p.get("rate")).isBetween(1e-4, 1.0);
                assertThat((Double) p.get("momentum")).isBetween(0.0, 0.99);
                assertThat(p.get("depth")).isInstanceOf(Long.class);
                assertThat((Long) p.get("depth")).isBetween(2L, 5L);
                assertThat((Long) p.get("flag")).isBetween(0L, 1L);
                assertThat(p.get("fit")).isIn("best", "first", "worst");
                depths.add(p.get("depth"));
                fits.add(p.get("fit"));
            }
        }
        assertThat(depths).as("every INT level is reachable").containsExactlyInAnyOrder(2L, 3L, 4L, 5L);
        assertThat(fits).as("every choice is reachable").hasSize(3);
    }

    @ParameterizedTest
    @MethodSource("names")
    void ordinalsAreConsecutiveAndParentsComeFromTheHistory(String name) {
        Strategy strategy = Strategies.byName(name);
        Set<UUID> known = HISTORY.stream().map(Observation::proposalId).collect(Collectors.toSet());
        List<Candidate> candidates = strategy.propose(StrategyFixtures.input(MIXED, 5, 42, HISTORY), 50);

        assertThat(candidates).extracting(Candidate::ordinal)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(42, 92).boxed().toList());
        for (Candidate c : candidates) {
            assertThat(known).containsAll(c.parents());
            int expectedParents = switch (c.operator()) {
                case "random", "sobol" -> 0;
                case "mutate" -> 1;
                case "crossover" -> 2;
                case "tpe" -> c.parents().size(); // one parent, or none when drawn from the prior
                default -> throw new AssertionError("unexpected operator " + c.operator());
            };
            assertThat(c.parents()).as(c.operator()).hasSize(expectedParents);
            assertThat(c.parents().size()).isLessThanOrEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void failedRunsAndForeignPointsInTheHistoryAreIgnored(String name) {
        List<Observation> history = new ArrayList<>(HISTORY);
        history.add(new Observation(UUID.randomUUID(), Map.of("rate", 0.1), null, "mutate"));
        history.add(new Observation(UUID.randomUUID(), Map.of("rate", "x", "momentum", 0.5, "depth", 3,
                "flag", 0, "fit", "nope"), 0.0, "mutate"));
        history.add(new Observation(UUID.randomUUID(), HISTORY.get(0).parameters(), Double.NaN, "tpe"));

        List<Candidate> candidates = Strategies.byName(name).propose(StrategyFixtures.input(MIXED, 5, 33, history), 20);

        assertThat(candidates).hasSize(20);
        Set<UUID> valid = HISTORY.stream().map(Observation::proposalId).collect(Collectors.toSet());
        candidates.forEach(c -> assertThat(valid).containsAll(c.parents()));
    }

    @Test
    void theRegistryKnowsEveryStrategyAndResolvesTheDefault() {
        assertThat(Strategies.names()).containsExactly("random", "sobol", "evolutionary", "tpe", "default");
        assertThat(Strategies.byName("default").name()).isIn("evolutionary", "tpe");
        assertThatThrownBy(() -> Strategies.byName("annealing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("annealing");
    }

    @Test
    void everyNameAStudySpecMayUseIsImplemented() {
        // The parameter strategies here; llm proposes code through the application's LlmProposals (it reads trees).
        List<String> implemented = new java.util.ArrayList<>(Strategies.names());
        implemented.add(StrategyNames.LLM);
        assertThat(implemented).containsExactlyInAnyOrderElementsOf(StrategyNames.ALL);
        assertThat(dev.seedloop.proposer.application.LlmProposals.handles(new dev.seedloop.events.StudyCreated("s",
                new dev.seedloop.events.Objective("m", Direction.MINIMIZE, null), MIXED,
                new dev.seedloop.events.Budget(1, 60, 1), StrategyNames.LLM, 1, "x"))).isTrue();
    }

    @Test
    void badOptionsAreRejectedNamingTheOption() {
        StrategyInput input = new StrategyInput(MIXED, Direction.MINIMIZE, 1, 30, HISTORY, Map.of(),
                Map.of("gamma", "a lot"));
        assertThatThrownBy(() -> TpeSearch.INSTANCE.propose(input, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gamma");
    }

    @Test
    void randomSearchThroughTheStrategyApiMatchesItsStaticSample() {
        List<Candidate> candidates = RandomSearch.INSTANCE.propose(StrategyInput.initial(MIXED, Direction.MINIMIZE, 9), 3);
        for (Candidate c : candidates) {
            assertThat(c.parameters()).isEqualTo(RandomSearch.sample(MIXED, 9, c.ordinal()));
        }
    }
}
