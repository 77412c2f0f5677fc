package dev.seedloop.proposer.domain.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.LlmOptions;
import dev.seedloop.events.Observation;
import dev.seedloop.proposer.domain.llm.LlmChoice.Choice;

class LlmChoiceTest {

    static final String TREE = "sha256:" + "a".repeat(64);
    static final Map<String, Double> ONE_MODEL = Map.of("m", 1.0);
    static final LlmOptions NO_CROSSOVER = LlmOptions.parse(Map.of("crossover-rate", "0"));

    @Test
    void theSameSeedAndOrdinalGiveTheSameChoiceAnotherSeedOthers() {
        List<Observation> history = history(6);
        LlmOptions options = options(Map.of("crossover-rate", "0.5", "templates", "default,t", "template.t", "x"));
        List<Choice> one = LlmChoice.choose(7, 10, 40, options, twoModels(), Map.of(), history, Direction.MINIMIZE);
        List<Choice> two = LlmChoice.choose(7, 10, 40, options, twoModels(), Map.of(), history, Direction.MINIMIZE);
        List<Choice> other = LlmChoice.choose(8, 10, 40, options, twoModels(), Map.of(), history, Direction.MINIMIZE);

        assertThat(two).isEqualTo(one);
        assertThat(other).isNotEqualTo(one);
        assertThat(one).extracting(Choice::ordinal).startsWith(10, 11).endsWith(49);
        assertThat(one).extracting(Choice::operator).contains("mutate", "crossover");
        assertThat(one).extracting(Choice::template).contains("default", "t");
    }

    @Test
    void theLearnersWeightsPickTheArm() {
        Map<String, Double> weights = Map.of("mutate@a/default", 0.0, "mutate@b/default", 1.0);
        List<Choice> choices = LlmChoice.choose(1, 0, 200, NO_CROSSOVER, twoModels(), weights, history(3),
                Direction.MINIMIZE);
        assertThat(choices).extracting(Choice::armKey).containsOnly("mutate@b/default");

        Map<String, Double> nineToOne = Map.of("mutate@a/default", 9.0, "mutate@b/default", 1.0);
        long a = LlmChoice.choose(1, 0, 400, NO_CROSSOVER, twoModels(), nineToOne, history(3), Direction.MINIMIZE)
                .stream().filter(c -> c.model().equals("a")).count();
        assertThat(a).isBetween(330L, 390L);
    }

    @Test
    void unseenArmsWeighOneAndWeightsThatZeroEverythingAreIgnored() {
        Map<String, Double> zero = Map.of("mutate@a/default", 0.0, "mutate@b/default", 0.0);
        List<Choice> choices = LlmChoice.choose(1, 0, 100, NO_CROSSOVER, twoModels(), zero, history(3),
                Direction.MINIMIZE);
        assertThat(choices).extracting(Choice::model).contains("a", "b");

        Map<String, Double> onlyA = Map.of("mutate@a/default", 0.0);
        assertThat(LlmChoice.choose(1, 0, 100, NO_CROSSOVER, twoModels(), onlyA, history(3), Direction.MINIMIZE))
                .extracting(Choice::model).containsOnly("b");
    }

    @Test
    void aFailureGetsAtMostItsRepairsFromItsOwnCode() {
        List<Observation> history = new ArrayList<>(history(3));
        Observation failed = observation(3, null, tree(3), List.of(history.get(0).proposalId()), "mutate@m/default");
        history.add(failed);

        List<Choice> choices = LlmChoice.choose(1, 4, 30, options(Map.of("repairs", "2")), ONE_MODEL, Map.of(),
                history, Direction.MINIMIZE);

        List<Choice> repairs = choices.stream().filter(c -> c.operator().equals("repair")).toList();
        assertThat(repairs).hasSize(2).allSatisfy(c -> {
            assertThat(c.parents()).containsExactly(failed);
            assertThat(c.parentTree(TREE)).isEqualTo(tree(3));
        });
    }

    @Test
    void aFailureRepairedEnoughOrARepairThatFailedIsNotRepaired() {
        List<Observation> history = new ArrayList<>(history(2));
        Observation failed = observation(2, null, tree(2), List.of(), "mutate@m/default");
        history.add(failed);
        history.add(observation(3, null, tree(3), List.of(failed.proposalId()), "repair@m/default"));
        history.add(observation(4, 0.4, tree(4), List.of(failed.proposalId()), "repair@m/default"));

        assertThat(LlmChoice.choose(1, 5, 50, options(Map.of("repairs", "2")), ONE_MODEL, Map.of(), history,
                Direction.MINIMIZE)).extracting(Choice::operator).doesNotContain("repair");
    }

    @Test
    void withoutAValidProgramTheSeedIsFixedAndWithoutAnyObservationMutated() {
        List<Observation> failedOnly = List.of(observation(0, null, tree(0), List.of(), "mutate@m/default"));
        assertThat(LlmChoice.choose(1, 1, 10, options(Map.of()), ONE_MODEL, Map.of(), failedOnly, Direction.MINIMIZE))
                .allSatisfy(c -> {
                    assertThat(c.operator()).isEqualTo("fix");
                    assertThat(c.parents()).isEmpty();
                    assertThat(c.parentTree(TREE)).isEqualTo(TREE);
                });
        assertThat(LlmChoice.choose(1, 0, 10, options(Map.of()), ONE_MODEL, Map.of(), List.of(), Direction.MINIMIZE))
                .extracting(Choice::operator).containsOnly("mutate");
    }

    @Test
    void answersRefusedBeforeRunningSayNothingAgainstTheSeedSoItIsMutatedNotFixed() {
        // A refusal as the learner shows it: no value, no tree (nothing ran), the refusal as its failure.
        List<Observation> refusedOnly = List.of(new Observation(UUID.randomUUID(), 0, "mutate@m/default", Map.of(),
                null, null, List.of(), null, "refused: malformed-block: no ======="));
        assertThat(LlmChoice.choose(1, 1, 10, options(Map.of()), ONE_MODEL, Map.of(), refusedOnly,
                Direction.MINIMIZE)).extracting(Choice::operator).containsOnly("mutate");
    }

    @Test
    void crossoverNeedsTwoValidParentsAndTakesTwoDistinctOnes() {
        LlmOptions always = options(Map.of("crossover-rate", "1"));
        assertThat(LlmChoice.choose(1, 1, 20, always, ONE_MODEL, Map.of(), history(1), Direction.MINIMIZE))
                .extracting(Choice::operator).containsOnly("mutate");
        assertThat(LlmChoice.choose(1, 2, 20, always, ONE_MODEL, Map.of(), history(2), Direction.MINIMIZE))
                .allSatisfy(c -> {
                    assertThat(c.operator()).isEqualTo("crossover");
                    assertThat(c.parents()).hasSize(2).doesNotHaveDuplicates();
                });
    }

    @Test
    void tournamentsFavourTheBetterParents() {
        List<Observation> history = history(10);
        List<Choice> choices = LlmChoice.choose(3, 10, 300, options(Map.of("crossover-rate", "0")), ONE_MODEL,
                Map.of(), history, Direction.MINIMIZE);
        long best = choices.stream().filter(c -> c.parents().getFirst().ordinal() == 0).count();
        long worst = choices.stream().filter(c -> c.parents().getFirst().ordinal() == 9).count();
        assertThat(best).isGreaterThan(worst * 5);
        List<Choice> maximising = LlmChoice.choose(3, 10, 300, options(Map.of("crossover-rate", "0")), ONE_MODEL,
                Map.of(), history, Direction.MAXIMIZE);
        assertThat(maximising.stream().filter(c -> c.parents().getFirst().ordinal() == 9).count())
                .isGreaterThan(maximising.stream().filter(c -> c.parents().getFirst().ordinal() == 0).count() * 5);
    }

    @Test
    void bestOfNAlwaysSamplesTheStudysOwnCodeAndShowsNothing() {
        List<Observation> history = new ArrayList<>(history(3));
        history.add(observation(3, null, tree(3), List.of(), "sample@m/default"));
        LlmOptions options = options(Map.of("mode", "best-of-n"));

        List<Choice> choices = LlmChoice.choose(1, 4, 20, options, ONE_MODEL, Map.of(), history, Direction.MINIMIZE);

        assertThat(choices).allSatisfy(c -> {
            assertThat(c.operator()).isEqualTo("sample");
            assertThat(c.parents()).isEmpty();
            assertThat(LlmChoice.context(c, options, history, Direction.MINIMIZE)).isEqualTo(LlmChoice.Context.NONE);
        });
    }

    @Test
    void aStudyUsesTheModelsItNamesAndNamesOneWhenNoneIsConfigured() {
        assertThat(LlmChoice.choose(1, 0, 30, options(Map.of("models", "b")), twoModels(), Map.of(), List.of(),
                Direction.MINIMIZE)).extracting(Choice::model).containsOnly("b");
        assertThat(LlmChoice.choose(1, 0, 3, options(Map.of()), Map.of(), Map.of(), List.of(), Direction.MINIMIZE))
                .extracting(Choice::model).containsOnly("none");
        assertThat(LlmChoice.choose(1, 0, 3, options(Map.of("models", "big")), Map.of(), Map.of(), List.of(),
                Direction.MINIMIZE)).extracting(Choice::model).containsOnly("big");
    }

    @Test
    void thePromptShowsTheTopAttemptsRecentFailuresAndLabelledAncestors() {
        Observation root = observation(0, 0.9, tree(0), List.of(), "mutate@m/default");
        Observation child = observation(1, 0.7, tree(1), List.of(root.proposalId()), "mutate@m/default");
        Observation grandchild = observation(2, 0.5, tree(2), List.of(child.proposalId()), "mutate@m/default");
        Observation failed = observation(3, null, tree(3), List.of(grandchild.proposalId()), "mutate@m/default");
        Observation other = observation(4, 0.2, tree(4), List.of(), "mutate@m/default");
        List<Observation> history = List.of(root, child, grandchild, failed, other);
        Choice mutate = new Choice(5, "mutate", "m", "default", List.of(grandchild));

        LlmChoice.Context context = LlmChoice.context(mutate, options(Map.of("top-k", "2", "inspirations", "2")),
                history, Direction.MINIMIZE);

        assertThat(context.attempts()).extracting(s -> s.observation().ordinal()).containsExactly(4, 1);
        assertThat(context.attempts()).extracting(LlmChoice.Shown::label).containsExactly("top 1", "top 2");
        assertThat(context.failures()).extracting(s -> s.observation().ordinal()).containsExactly(3);
        assertThat(context.inspirations()).extracting(LlmChoice.Shown::label)
                .containsExactly("ancestor, 2 generation(s) back");
    }

    static LlmOptions options(Map<String, String> options) {
        return LlmOptions.parse(options);
    }

    static Map<String, Double> twoModels() {
        Map<String, Double> models = new LinkedHashMap<>();
        models.put("a", 1.0);
        models.put("b", 1.0);
        return models;
    }

    /** {@code n} valid observations, ordinal i scoring i (so 0 is best when minimising). */
    static List<Observation> history(int n) {
        List<Observation> history = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            history.add(observation(i, (double) i, tree(i), List.of(), "mutate@m/default"));
        }
        return history;
    }

    static Observation observation(int ordinal, Double value, String tree, List<UUID> parents, String operator) {
        return new Observation(UUID.nameUUIDFromBytes(("p" + ordinal).getBytes()), ordinal, operator, Map.of(), value,
                tree, parents, value == null ? "Traceback" : "ok", value == null ? "exit code 1" : null);
    }

    static String tree(int i) {
        return "sha256:" + String.format("%064x", i + 1);
    }
}
