package dev.seedloop.learner.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.Observation;

/**
 * What the learner asks the proposer for, as a function of the study's results by ordinal, never of the order they
 * arrived in (ADR 0021), so the same seed gives the same proposals however the experiments' durations interleave.
 *
 * <p>Proposal ordinal n is asked for once every ordinal ≤ n − parallelism is {@link ResolvedOrdinals resolved}, and
 * within the budget (maxExperiments plus the rejected proposals, which are replaced); its request carries exactly
 * the results of ordinals ≤ n − parallelism, in ordinal order, after a fork's inherited ones (the latest that fit
 * the caps), and operator weights computed from those results alone. Ordinals below the parallelism see only the inherited
 * history: they are one request (the first batch, from ordinal 0, with the strategies' default weights: empty), each
 * later ordinal a request of its own.
 */
public final class OrdinalRequests {

    /**
     * One request: {@code count} proposals from {@code nextOrdinal}, with this history and these weights; {@code
     * basis} says what the weights of an llm study were computed from (null otherwise), {@code notes} are the
     * learner's notes for an llm study (null otherwise, or before there is anything to say).
     */
    public record Request(int nextOrdinal, int count, int throughOrdinal, List<Observation> history,
                          Map<String, Double> operatorWeights, String basis, String notes) {
    }

    /** The name space of the weights' generators: with the study seed, the ordinal picks the stream. */
    private static final UUID WEIGHTS = UUID.fromString("00000000-5eed-7021-8000-000000000021");

    private OrdinalRequests() {
    }

    /** The requests due now, ascending by ordinal (none while nothing new is eligible). */
    public static List<Request> due(StudyState s, StrategySettings settings, EncodedSize sizes) {
        int parallelism = s.budget().parallelism();
        int allowed = s.budget().maxExperiments() + s.proposalsRejected();
        int end = Math.min(allowed, s.resolvedOrdinals().below() + parallelism);
        List<Request> requests = new ArrayList<>();
        int next = s.proposalsRequested();
        if (next < Math.min(end, parallelism)) {
            int count = Math.min(end, parallelism) - next;
            requests.add(new Request(next, count, -1, history(s, -1, sizes), Map.of(), null, null));
            next += count;
        }
        for (; next < end; next++) {
            int through = next - parallelism;
            List<Observation> history = history(s, through, sizes);
            if (s.spec().llmOptions() == null) {
                requests.add(new Request(next, 1, through, history, weights(s, settings, history, next), null, null));
            } else {
                YieldBandit.Weights yields = YieldBandit.weigh(s, history);
                requests.add(new Request(next, 1, through, history,
                        yields == null ? Map.of() : yields.operatorWeights(), yields == null ? null : yields.basis(),
                        StudyNotes.of(s, history, s.spec().llmOptions().notesEvery())));
            }
        }
        return requests;
    }

    /**
     * The inherited results (a fork's, in their order) and the study's own results of ordinals ≤ {@code through}, by
     * ordinal: the latest {@link LearnerDecider#MAX_OBSERVATIONS_SHARED} that fit
     * {@link LearnerDecider#MAX_OBSERVATION_BYTES_SHARED}.
     */
    static List<Observation> history(StudyState s, int through, EncodedSize sizes) {
        List<Observation> inherited = new ArrayList<>();
        List<Lineage> own = new ArrayList<>();
        for (Lineage l : s.lineage().values()) {
            if (l.inheritedFrom() != null) {
                inherited.add(observation(s, l));
            } else if (l.verdict() != null && l.ordinal() <= through) {
                own.add(l);
            }
        }
        own.sort(Comparator.comparingInt(Lineage::ordinal));
        List<Observation> all = new ArrayList<>(inherited.size() + own.size());
        all.addAll(inherited);
        own.forEach(l -> all.add(observation(s, l)));
        if (s.spec().llmOptions() != null) {
            all.addAll(refusals(s, through));
            all.subList(inherited.size(), all.size()).sort(Comparator.comparingInt(Observation::ordinal));
        }
        return sizes.latestWithin(all, LearnerDecider.MAX_OBSERVATIONS_SHARED,
                LearnerDecider.MAX_OBSERVATION_BYTES_SHARED);
    }

    /**
     * An llm study's answers the proposer refused, of ordinals <= {@code through}: nothing ran, but the model should
     * hear what it got wrong (otherwise the same question comes again and a deterministic model repeats itself). No
     * value, no tree, the refusal as the failure; the bandit and the notes count only what ran.
     */
    private static List<Observation> refusals(StudyState s, int through) {
        List<Observation> refused = new ArrayList<>();
        s.modelUse().proposals().forEach((id, o) -> {
            if (o.refusal() != null && o.ordinal() >= 0 && o.ordinal() <= through && !s.lineage().containsKey(id)) {
                refused.add(new Observation(id, o.ordinal(), o.operator(), Map.of(), null, null, List.of(), null,
                        o.refusal()));
            }
        });
        return refused;
    }

    /**
     * A result as a request shows it. An llm study's carry the code lineage (the tree that ran, the parents, the
     * output's tail and why it failed: what its prompts are built from); the other studies' stay the parameter-only
     * observations they were, so their requests keep their size.
     */
    private static Observation observation(StudyState s, Lineage l) {
        if (s.spec().llmOptions() == null) {
            return new Observation(l.proposalId(), l.ordinal(), l.operator(), l.parameters(), l.value());
        }
        ProposalOutcome outcome = s.modelUse().of(l.proposalId());
        return new Observation(l.proposalId(), l.ordinal(), l.operator(), l.parameters(), l.value(), outcome.tree(),
                l.parents(), outcome.output(), l.value() == null ? outcome.failure() : null);
    }

    /**
     * The operator bandit of {@link StrategyFold} replayed over the study's own results in {@code history} in ordinal
     * order (success: a valid result better than every earlier one; restart after the stagnation limit), then
     * Thompson-sampled with a generator seeded by the study seed and the ordinal asked for. No own result yet: the
     * strategies' defaults (no weights), as for the first batch.
     */
    static Map<String, Double> weights(StudyState s, StrategySettings settings, List<Observation> history,
                                       int ordinal) {
        Direction direction = s.objective() == null ? Direction.MINIMIZE : s.objective().direction();
        TreeMap<String, BetaPosterior> arms = new TreeMap<>();
        settings.defaultOperators().forEach(op -> arms.put(op, settings.prior()));
        Double best = null;
        int stagnation = 0;
        boolean any = false;
        for (Observation o : history) {
            Lineage l = s.lineage().get(o.proposalId());
            if (l == null || l.inheritedFrom() != null) {
                continue;
            }
            any = true;
            boolean improved = o.value() != null && (best == null || direction.isBetter(o.value(), best));
            if (improved) {
                best = o.value();
            }
            BetaPosterior arm = arms.getOrDefault(o.operator(), settings.prior());
            arms.put(o.operator(), improved ? arm.success() : arm.failure());
            stagnation = improved ? 0 : stagnation + 1;
            if (stagnation >= settings.stagnationLimit()) {
                arms.replaceAll((op, p) -> settings.prior());
                stagnation = 0;
            }
        }
        if (!any) {
            return Map.of();
        }
        // Seeded by the study seed and the ordinal alone (not the study's id): one seed, one sequence of weights.
        UUID draw = EventIds.derived(WEIGHTS, "ordinal:" + ordinal);
        return ThompsonSampler.forEvent(s.seed(), draw).weights(arms, settings.draws());
    }
}
