package dev.seedloop.evaluator.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionRejected;

/**
 * An approver's answer to a {@code PromotionRequested} of a manual study. Pure; the answer itself is
 * folded into {@link EvaluatorState} (a rejection directly, an approval through the ChampionChanged it
 * yields), so a redelivered answer finds its own review and yields nothing.
 *
 * <p>Only a pending candidate of the answer's study can be decided. Anything else (an unknown proposal,
 * one already approved or rejected, one of another study) is {@link Outcome.Ignored}: the gateway checks
 * that a candidate is pending before it publishes, so this is a race between two reviewers, never a reason
 * to stop consuming.
 */
public final class PromotionReview {

    private PromotionReview() {
    }

    /** What an answer calls for. */
    public sealed interface Outcome {

        /** The answer decides a pending candidate: publish {@code events}, then fold them and the answer. */
        record Accepted(List<EventEnvelope> events) implements Outcome {
            public Accepted {
                events = List.copyOf(events);
            }
        }

        /** This very answer was applied before; nothing to do. */
        record Redelivered() implements Outcome {
        }

        /** The answer decides nothing, for the reason given (worth a warning). */
        record Ignored(String why) implements Outcome {
        }
    }

    /**
     * An approved candidate becomes the champion: ChampionChanged from the current champion to it, with the
     * evidence it won with, caused by the approval and in the approval's chain.
     */
    public static Outcome onApproved(EventEnvelope cause, PromotionApproved approved, EvaluatorState state,
                                     Instant now) {
        return review(cause, approved.proposalId(), state, candidate -> {
            ChampionRecord champion = state.champion();
            if (champion != null && champion.proposalId().equals(candidate.proposalId())) {
                return new Outcome.Ignored("proposal " + candidate.proposalId() + " is already the champion");
            }
            return new Outcome.Accepted(List.of(EvaluationDecider.championChanged(cause, candidate, champion, now)));
        });
    }

    /** A rejected candidate is no longer pending; the champion stays, and nothing is published. */
    public static Outcome onRejected(EventEnvelope cause, PromotionRejected rejected, EvaluatorState state) {
        return review(cause, rejected.proposalId(), state, candidate -> new Outcome.Accepted(List.of()));
    }

    private static Outcome review(EventEnvelope cause, UUID proposalId, EvaluatorState state,
                                  Function<ChampionRecord, Outcome> decide) {
        ChampionRecord candidate = state.candidates().get(proposalId);
        if (candidate == null) {
            return new Outcome.Ignored("no promotion of proposal " + proposalId + " was requested in study "
                    + cause.studyId());
        }
        EvaluatorState.Review review = state.reviews().get(proposalId);
        if (review != null) {
            return cause.eventId().equals(review.eventId()) ? new Outcome.Redelivered()
                    : new Outcome.Ignored("proposal " + proposalId + " was already "
                            + (review.approved() ? "approved" : "rejected") + " (event " + review.eventId() + ")");
        }
        return decide.apply(candidate);
    }
}
