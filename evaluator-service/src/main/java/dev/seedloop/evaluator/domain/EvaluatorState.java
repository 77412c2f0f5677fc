package dev.seedloop.evaluator.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.Verdict;

/**
 * What the evaluator remembers about one study, rebuilt by folding events, so it needs no database.
 *
 * @param champion   the champion candidates are judged against, or null before the first promotion
 * @param lastWin    the latest NEW_CHAMPION evaluation whose ChampionChanged (automatic promotion) or
 *                   PromotionRequested (manual promotion) has not been folded yet; null otherwise
 * @param candidates every candidate whose promotion was requested, by proposal id, with the evidence it
 *                   won with (a promoted candidate is judged against exactly like an automatic champion)
 * @param reviews    the human decision on each proposal, by proposal id: the first one folded counts
 *
 * <p>A candidate is pending while it is in {@code candidates} and has no review. Reviews arrive on the
 * studies topic and requests on the evaluations topic; a rebuild reads both at once, so a rejection may be
 * folded before the request it answers. Keeping both maps (rather than removing a candidate on rejection)
 * makes the result independent of that order.
 */
public record EvaluatorState(ChampionRecord champion, ChampionRecord lastWin, Map<UUID, ChampionRecord> candidates,
                             Map<UUID, Review> reviews) {

    public static final EvaluatorState EMPTY = new EvaluatorState(null, null, Map.of(), Map.of());

    /**
     * A human decision on a pending candidate. {@code eventId} is the approval or rejection that made it
     * (null only for an approval whose ChampionChanged names no cause), so a redelivered review is
     * recognised as the one already applied.
     */
    public record Review(UUID eventId, boolean approved) {
    }

    public EvaluatorState {
        candidates = Map.copyOf(candidates);
        reviews = Map.copyOf(reviews);
    }

    /** The candidate waiting for a human decision, if {@code proposalId} is one. */
    public Optional<ChampionRecord> pending(UUID proposalId) {
        return reviews.containsKey(proposalId) ? Optional.empty() : Optional.ofNullable(candidates.get(proposalId));
    }

    /** Every candidate waiting for a human decision, by proposal id. */
    public Map<UUID, ChampionRecord> pendingCandidates() {
        Map<UUID, ChampionRecord> pending = new LinkedHashMap<>(candidates);
        pending.keySet().removeAll(reviews.keySet());
        return Map.copyOf(pending);
    }

    /**
     * Applies one event. Redelivery of one already applied, and every event the evaluator does not
     * track, leave the state as it was. PromotionApproved is among the latter: an approval takes effect
     * through the ChampionChanged the evaluator answers it with, which names it as its cause.
     */
    public static EvaluatorState evolve(EvaluatorState state, EventEnvelope event) {
        return switch (event.payload()) {
            case EvaluationCompleted e when e.verdict() == Verdict.NEW_CHAMPION && e.summary() != null ->
                    state.onWin(e);
            case ChampionChanged c -> state.onChampionChanged(event, c);
            case PromotionRequested r -> state.onPromotionRequested(r);
            case PromotionRejected r -> state.withReview(r.proposalId(), new Review(event.eventId(), false));
            default -> state;
        };
    }

    /**
     * A win is not yet a champion: the event after it says whether it was promoted (ChampionChanged) or
     * waits for an approver (PromotionRequested). Both follow it on the same partition.
     */
    private EvaluatorState onWin(EvaluationCompleted e) {
        if ((champion != null && champion.evaluationId().equals(e.evaluationId()))
                || candidates.containsKey(e.proposalId())) {
            return this; // a copy of an evaluation already settled
        }
        return new EvaluatorState(champion, new ChampionRecord(e.proposalId(), e.evaluationId(), e.summary(),
                e.heldOutValue()), candidates, reviews);
    }

    /**
     * Normally promotes the win just folded or an approved candidate. If the winning evaluation was
     * never seen, only the winning mean is known, so the champion is recorded as a single sample:
     * later candidates then face the noise floor only, never a test against an invented spread.
     */
    private EvaluatorState onChampionChanged(EventEnvelope event, ChampionChanged c) {
        if (champion != null && champion.evaluationId().equals(c.evaluationId())) {
            return this;
        }
        ChampionRecord candidate = candidates.get(c.proposalId());
        if (candidate != null && candidate.evaluationId().equals(c.evaluationId())) {
            // The evaluator promotes a candidate only in answer to its approval, the event's cause.
            return new EvaluatorState(candidate, lastWin, candidates, reviews)
                    .withReview(c.proposalId(), new Review(event.causationId(), true));
        }
        if (lastWin != null && lastWin.evaluationId().equals(c.evaluationId())) {
            return new EvaluatorState(lastWin, null, candidates, reviews);
        }
        return new EvaluatorState(singleSample(c.proposalId(), c.evaluationId(), c.value()), lastWin, candidates,
                reviews);
    }

    /** The win just folded waits for an approver instead of becoming the champion. */
    private EvaluatorState onPromotionRequested(PromotionRequested r) {
        if (candidates.containsKey(r.proposalId())) {
            return this;
        }
        boolean ours = lastWin != null && lastWin.evaluationId().equals(r.evaluationId());
        // As for a ChampionChanged whose evaluation was never seen: the mean is all that is known.
        ChampionRecord candidate = ours ? lastWin : singleSample(r.proposalId(), r.evaluationId(), r.value());
        Map<UUID, ChampionRecord> requested = new LinkedHashMap<>(candidates);
        requested.put(r.proposalId(), candidate);
        return new EvaluatorState(champion, ours ? null : lastWin, requested, reviews);
    }

    private ChampionRecord singleSample(UUID proposalId, UUID evaluationId, double mean) {
        MetricSummary summary = new MetricSummary(champion == null ? "objective" : champion.summary().metric(), 1,
                mean, 0.0, mean, mean);
        return new ChampionRecord(proposalId, evaluationId, summary, null);
    }

    private EvaluatorState withReview(UUID proposalId, Review review) {
        if (reviews.containsKey(proposalId)) {
            return this;
        }
        Map<UUID, Review> decided = new LinkedHashMap<>(reviews);
        decided.put(proposalId, review);
        return new EvaluatorState(champion, lastWin, candidates, decided);
    }
}
