package dev.seedloop.learner.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.Verdict;

/**
 * The humans' part of a study: {@code controls} lists every intervention (pause, resume, halt, approve, reject: who,
 * why, when), {@code pendingApprovals} the candidates waiting for an approver (added by PromotionRequested, removed
 * by approval, rejection or when the proposal becomes champion) and {@code candidates} the evidence of
 * manual-promotion candidates not yet crowned or rejected. These change rarely, so a step shares the lists with the
 * previous state instead of copying them.
 */
public record StudyGovernance(List<Control> controls, List<PendingApproval> pendingApprovals,
                              List<Candidate> candidates) {

    public static final StudyGovernance EMPTY = new StudyGovernance(List.of(), List.of(), List.of());

    public StudyGovernance {
        // List.copyOf returns an unmodifiable list as it is: unchanged lists cost nothing per event.
        controls = List.copyOf(controls);
        pendingApprovals = List.copyOf(pendingApprovals);
        candidates = List.copyOf(candidates);
    }

    /**
     * The governance after {@code event} (one the study has not seen). It reads the champions as they are after the
     * event ({@code results}, folded first): {@code crowned} is the champion the event crowned, or null.
     */
    static StudyGovernance evolve(StudyGovernance g, EventEnvelope event, PromotionPolicy promotion,
                                  Champions results, ChampionEntry crowned) {
        StudyGovernance next = switch (event.payload()) {
            case StudyPaused p -> g.control(event, ControlAction.PAUSED, p.by(), p.reason(), null);
            case StudyResumed r -> g.control(event, ControlAction.RESUMED, r.by(), null, null);
            case StudyHalted h -> g.control(event, ControlAction.HALTED, h.by(), h.reason(), null);
            case PromotionRequested r -> g.pendingApprovals.stream().noneMatch(p -> p.proposalId().equals(
                    r.proposalId())) && !results.isChampion(r.evaluationId())
                    ? new StudyGovernance(g.controls, with(g.pendingApprovals, new PendingApproval(r.proposalId(),
                    r.evaluationId(), r.value(), event.occurredAt(), r.currentChampionId())), g.candidates) : g;
            case PromotionApproved a -> {
                StudyGovernance c = g.control(event, ControlAction.APPROVED, a.by(), a.reason(), a.proposalId());
                yield new StudyGovernance(c.controls, without(c.pendingApprovals,
                        p -> p.proposalId().equals(a.proposalId())), c.candidates);
            }
            case PromotionRejected r -> {
                StudyGovernance c = g.control(event, ControlAction.REJECTED, r.by(), r.reason(), r.proposalId());
                yield new StudyGovernance(c.controls, without(c.pendingApprovals,
                        p -> p.proposalId().equals(r.proposalId())), without(c.candidates,
                        k -> k.proposalId().equals(r.proposalId())));
            }
            // Under manual promotion a winning evaluation only makes a candidate; the approver decides.
            case EvaluationCompleted e when promotion == PromotionPolicy.MANUAL && !StudyProgress.invalid(e)
                    && e.verdict() == Verdict.NEW_CHAMPION && crowned == null && !results.isChampion(e.evaluationId())
                    -> new StudyGovernance(g.controls, g.pendingApprovals, with(g.candidates,
                    new Candidate(e.proposalId(), e.evaluationId(), Evidence.of(e))));
            default -> g;
        };
        if (crowned == null) {
            return next;
        }
        return new StudyGovernance(next.controls, without(next.pendingApprovals,
                p -> p.proposalId().equals(crowned.proposalId())), without(next.candidates,
                c -> c.evaluationId().equals(crowned.evaluationId())));
    }

    /** The evidence of the candidate judged by {@code evaluationId}, or null. */
    Evidence evidenceOf(UUID evaluationId) {
        for (Candidate c : candidates) {
            if (c.evaluationId().equals(evaluationId)) {
                return c.evidence();
            }
        }
        return null;
    }

    /** The approver whose PromotionApproved caused a ChampionChanged, or null if no approval did. */
    String approverOf(UUID causationId) {
        if (causationId == null) {
            return null;
        }
        for (Control c : controls) {
            if (c.action() == ControlAction.APPROVED && c.eventId().equals(causationId)) {
                return c.by();
            }
        }
        return null;
    }

    private StudyGovernance control(EventEnvelope event, ControlAction action, String by, String reason,
                                    UUID proposalId) {
        return new StudyGovernance(with(controls, new Control(action, by, reason, event.occurredAt(),
                event.eventId(), proposalId)), pendingApprovals, candidates);
    }

    private static <T> List<T> with(List<T> list, T item) {
        List<T> next = new ArrayList<>(list.size() + 1);
        next.addAll(list);
        next.add(item);
        return next;
    }

    private static <T> List<T> without(List<T> list, Predicate<T> drop) {
        // Most events drop nothing: keep the shared list rather than copying it.
        return list.stream().anyMatch(drop) ? list.stream().filter(drop.negate()).toList() : list;
    }
}
