package dev.seedloop.proposer.domain.llm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

import dev.seedloop.events.Direction;
import dev.seedloop.events.LlmOptions;
import dev.seedloop.events.Observation;
import dev.seedloop.proposer.domain.Seeds;

/**
 * What the llm strategy does for each requested ordinal, before any model is asked: the operator, the arm (model and
 * template) and the parents; and which prior attempts the prompt shows. Pure: the random stream of ordinal
 * <i>o</i> derives from the study's seed and <i>o</i> only, and the history enters as data, so a request replays to
 * the same choices.
 *
 * <p>Operators: {@code sample} in best-of-n mode (always the study's own code, no history); otherwise, with no valid
 * observation, {@code fix} when something failed (the seed program fails) and {@code mutate} of the study's code when
 * nothing was observed yet; with valid observations, {@code mutate} (prior 1 - crossoverRate), {@code crossover} (prior
 * crossoverRate, with at least two valid observations) and {@code repair} (prior 1, while a failed observation that is
 * not itself a repair has fewer than {@code repairs} repair children, counting this request's earlier choices; the
 * most recent such failure is repaired). The arm: each eligible operator × model × template weighs prior(operator) ×
 * the model's prior weight × the learner's weight for the arm key {@code <operator>@<model>/<template>} (1 when the
 * learner has none; the learner's weights are ignored if they zero every arm). Parents: tournaments of
 * {@value #TOURNAMENT} among the valid observations (ties to the earlier one); crossover's second parent is another
 * observation.
 */
public final class LlmChoice {

    public static final String MUTATE = "mutate";
    public static final String CROSSOVER = "crossover";
    public static final String REPAIR = "repair";
    public static final String FIX = "fix";
    public static final String SAMPLE = "sample";

    static final int TOURNAMENT = 3;
    static final int FAILURES_SHOWN = 3;
    /** A model name for a study with no model to ask: the call fails with the model client's reason, visibly. */
    static final String NO_MODEL = "none";

    private static final long SALT = Seeds.salt("llm");

    private LlmChoice() {
    }

    /**
     * One ordinal's choice. {@code parents} are the observations the proposal derives from (the first one's tree is the
     * code the edits apply to; none: the study's own code).
     */
    public record Choice(int ordinal, String operator, String model, String template, List<Observation> parents) {
        public Choice {
            parents = List.copyOf(parents);
        }

        /** The arm key the learner weighs: {@code <operator>@<model>/<template>}. */
        public String armKey() {
            return operator + "@" + model + "/" + template;
        }

        /** The tree the edits apply to. */
        public String parentTree(String studyTree) {
            return parents.isEmpty() || parents.getFirst().tree() == null ? studyTree : parents.getFirst().tree();
        }
    }

    /** An observation a prompt shows, with its label. */
    public record Shown(String label, Observation observation) {
    }

    /** What a prompt shows besides its parents. */
    public record Context(List<Shown> attempts, List<Shown> failures, List<Shown> inspirations) {
        public static final Context NONE = new Context(List.of(), List.of(), List.of());
    }

    /**
     * The choices for ordinals {@code nextOrdinal .. nextOrdinal + count - 1}.
     *
     * @param models  the configured models with their prior weights, in configuration order
     * @param weights the learner's operator weights by arm key (may be empty)
     * @param history the observations the learner sent, in the order it observed them
     */
    public static List<Choice> choose(long seed, int nextOrdinal, int count, LlmOptions options,
            Map<String, Double> models, Map<String, Double> weights, List<Observation> history, Direction direction) {
        Map<String, Double> usable = usableModels(options, models);
        List<Observation> valid = history.stream().filter(o -> o.value() != null).toList();
        List<Observation> failed = history.stream().filter(o -> o.value() == null).toList();
        Map<UUID, Integer> repairsOf = new HashMap<>();
        for (Observation o : history) {
            if (o.operator().startsWith(REPAIR + "@")) {
                o.parents().forEach(parent -> repairsOf.merge(parent, 1, Integer::sum));
            }
        }
        List<Choice> choices = new ArrayList<>(count);
        for (int ordinal = nextOrdinal; ordinal < nextOrdinal + count; ordinal++) {
            SplittableRandom random = Seeds.stream(seed, SALT, ordinal);
            Observation repairable = options.bestOfN() ? null : repairable(failed, repairsOf, options.repairs());
            Map<String, Double> priors = new LinkedHashMap<>();
            if (options.bestOfN()) {
                priors.put(SAMPLE, 1.0);
            } else if (valid.isEmpty()) {
                // Fix when code ran and failed; answers refused before running (no tree) say nothing about the seed.
                priors.put(failed.stream().anyMatch(o -> o.tree() != null) ? FIX : MUTATE, 1.0);
            } else {
                boolean crossover = valid.size() >= 2 && options.crossoverRate() > 0;
                priors.put(MUTATE, crossover ? 1 - options.crossoverRate() : 1.0);
                if (crossover) {
                    priors.put(CROSSOVER, options.crossoverRate());
                }
                if (repairable != null) {
                    priors.put(REPAIR, 1.0);
                }
            }
            String[] arm = drawArm(random, priors, usable, options.templates(), weights);
            String operator = arm[0];
            List<Observation> parents = switch (operator) {
                case MUTATE -> valid.isEmpty() ? List.of() : List.of(tournament(random, valid, direction, null));
                case CROSSOVER -> {
                    Observation a = tournament(random, valid, direction, null);
                    yield List.of(a, tournament(random, valid, direction, a));
                }
                case REPAIR -> {
                    repairsOf.merge(repairable.proposalId(), 1, Integer::sum);
                    yield List.of(repairable);
                }
                default -> List.of();
            };
            choices.add(new Choice(ordinal, operator, arm[1], arm[2], parents));
        }
        return choices;
    }

    /** The attempts, failures and inspirations a choice's prompt shows (nothing in best-of-n mode). */
    public static Context context(Choice choice, LlmOptions options, List<Observation> history, Direction direction) {
        if (choice.operator().equals(SAMPLE)) {
            return Context.NONE;
        }
        Set<UUID> shown = new HashSet<>();
        choice.parents().forEach(p -> shown.add(p.proposalId()));
        List<Observation> ranked = history.stream().filter(o -> o.value() != null)
                .sorted(byValue(direction)).toList();
        List<Shown> attempts = new ArrayList<>();
        if (!choice.operator().equals(REPAIR) && !choice.operator().equals(FIX)) {
            for (Observation o : ranked) {
                if (attempts.size() == options.topK()) {
                    break;
                }
                if (shown.add(o.proposalId())) {
                    attempts.add(new Shown("top " + (attempts.size() + 1), o));
                }
            }
        }
        List<Shown> failures = new ArrayList<>();
        if (!choice.operator().equals(REPAIR)) {
            for (int i = history.size() - 1; i >= 0 && failures.size() < FAILURES_SHOWN; i--) {
                Observation o = history.get(i);
                if (o.value() == null && shown.add(o.proposalId())) {
                    failures.add(new Shown("failure " + (failures.size() + 1), o));
                }
            }
        }
        List<Shown> inspirations = new ArrayList<>();
        if (choice.operator().equals(MUTATE) || choice.operator().equals(CROSSOVER)) {
            Map<UUID, Observation> byId = new HashMap<>();
            history.forEach(o -> byId.put(o.proposalId(), o));
            Observation at = choice.parents().isEmpty() ? null : choice.parents().getFirst();
            int generation = 0;
            Set<UUID> walked = new HashSet<>();
            while (at != null && !at.parents().isEmpty() && inspirations.size() < options.inspirations()
                    && walked.add(at.proposalId())) {
                at = byId.get(at.parents().getFirst());
                generation++;
                if (at != null && at.value() != null && shown.add(at.proposalId())) {
                    inspirations.add(new Shown("ancestor, " + generation + " generation(s) back", at));
                }
            }
            for (int i = history.size() - 1; i >= 0 && inspirations.size() < options.inspirations(); i--) {
                Observation o = history.get(i);
                if (o.value() != null && shown.add(o.proposalId())) {
                    inspirations.add(new Shown("recent", o));
                }
            }
        }
        return new Context(attempts, failures, inspirations);
    }

    /** The models a study may use: the configured ones it names (all when it names none), with their priors. */
    static Map<String, Double> usableModels(LlmOptions options, Map<String, Double> configured) {
        Map<String, Double> usable = new LinkedHashMap<>();
        configured.forEach((name, weight) -> {
            if (options.models().isEmpty() || options.models().contains(name)) {
                usable.put(name, weight);
            }
        });
        if (usable.isEmpty()) {
            // Nothing configured that the study may use: the call names the model asked for and fails visibly.
            usable.put(options.models().isEmpty() ? NO_MODEL : options.models().getFirst(), 1.0);
        }
        return usable;
    }

    private static String[] drawArm(SplittableRandom random, Map<String, Double> priors, Map<String, Double> models,
            List<String> templates, Map<String, Double> learned) {
        List<String[]> arms = new ArrayList<>();
        List<Double> prior = new ArrayList<>();
        List<Double> weighted = new ArrayList<>();
        priors.forEach((operator, p) -> models.forEach((model, m) -> {
            for (String template : templates) {
                String[] arm = {operator, model, template};
                double base = p * Math.max(0, m);
                arms.add(arm);
                prior.add(base);
                weighted.add(base * learned.getOrDefault(operator + "@" + model + "/" + template, 1.0));
            }
        }));
        double total = weighted.stream().mapToDouble(Double::doubleValue).sum();
        List<Double> weights = total > 0 ? weighted : prior;
        total = weights.stream().mapToDouble(Double::doubleValue).sum();
        if (!(total > 0)) {
            return arms.getFirst();
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < arms.size(); i++) {
            x -= weights.get(i);
            if (x < 0) {
                return arms.get(i);
            }
        }
        return arms.getLast();
    }

    private static Observation repairable(List<Observation> failed, Map<UUID, Integer> repairsOf, int repairs) {
        for (int i = failed.size() - 1; i >= 0; i--) {
            Observation o = failed.get(i);
            if (o.tree() != null && !o.operator().startsWith(REPAIR + "@")
                    && repairsOf.getOrDefault(o.proposalId(), 0) < repairs) {
                return o;
            }
        }
        return null;
    }

    private static Observation tournament(SplittableRandom random, List<Observation> valid, Direction direction,
            Observation other) {
        List<Observation> pool = other == null ? valid
                : valid.stream().filter(o -> !o.proposalId().equals(other.proposalId())).toList();
        int best = -1;
        for (int i = 0; i < TOURNAMENT; i++) {
            int pick = random.nextInt(pool.size());
            if (best < 0 || direction.isBetter(pool.get(pick).value(), pool.get(best).value())
                    || (pool.get(pick).value().equals(pool.get(best).value()) && pick < best)) {
                best = pick;
            }
        }
        return Objects.requireNonNull(pool.get(best));
    }

    private static Comparator<Observation> byValue(Direction direction) {
        Comparator<Observation> ascending = Comparator.comparingDouble(Observation::value);
        return direction == Direction.MINIMIZE ? ascending : ascending.reversed();
    }
}
