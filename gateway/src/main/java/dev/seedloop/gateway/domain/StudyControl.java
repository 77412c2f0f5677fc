package dev.seedloop.gateway.domain;

import java.time.Instant;
import java.util.UUID;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;

/**
 * Decides the event of a human intervention on a study, given the study's status as the learner last
 * folded it. Pure. A request that makes no sense in that status is a {@link Conflict}, so nothing
 * contradictory reaches the log (e.g. resuming a halted study).
 */
public final class StudyControl {

    public enum Action {
        PAUSE("pause"), RESUME("resume"), HALT("halt"), APPROVE("approve"), REJECT("reject");

        private final String label;

        Action(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The request contradicts the study's state; {@code detail} says why, in words for the caller. */
    public static final class Conflict extends RuntimeException {
        public Conflict(String detail) {
            super(detail);
        }
    }

    private StudyControl() {
    }

    /**
     * @param status        the study's status: created, running, paused, completed or halted
     * @param candidatePending for approve/reject: whether the candidate is pending approval
     * @throws Conflict when the action does not apply in this status
     */
    public static EventEnvelope decide(Action action, String studyId, String team, String status, String by,
            String reason, UUID candidate, boolean candidatePending, Instant now, UUID eventId) {
        boolean terminal = "completed".equals(status) || "halted".equals(status);
        boolean steersTheLoop = action == Action.PAUSE || action == Action.RESUME || action == Action.HALT;
        // A study that spent its budget often ends with candidates still waiting: deciding on them is what
        // the approver is there for, so approvals outlive the loop; steering does not.
        if (terminal && steersTheLoop) {
            throw new Conflict("the study is " + status + "; it cannot be " + past(action) + " any more");
        }
        String why = reason == null ? "" : reason.strip();
        EventPayload payload = switch (action) {
            case PAUSE -> {
                if ("paused".equals(status)) {
                    throw new Conflict("the study is already paused");
                }
                yield new StudyPaused(by, why);
            }
            case RESUME -> {
                if (!"paused".equals(status)) {
                    throw new Conflict("the study is " + status + ", not paused");
                }
                yield new StudyResumed(by);
            }
            case HALT -> new StudyHalted(by, why);
            case APPROVE -> {
                requirePending(candidate, candidatePending);
                yield new PromotionApproved(candidate, by, why);
            }
            case REJECT -> {
                requirePending(candidate, candidatePending);
                if (why.isEmpty()) {
                    throw new IllegalArgumentException("a rejection needs a reason");
                }
                yield new PromotionRejected(candidate, by, why);
            }
        };
        // An intervention starts its own causal chain: it was caused by a person, not by an event.
        return EventEnvelope.firstOfChain(eventId, studyId, team, now, Services.GATEWAY, payload);
    }

    private static void requirePending(UUID candidate, boolean pending) {
        if (!pending) {
            throw new Conflict("candidate " + candidate + " is not pending approval in this study");
        }
    }

    private static String past(Action action) {
        return switch (action) {
            case PAUSE -> "paused";
            case RESUME -> "resumed";
            case HALT -> "halted";
            case APPROVE -> "approved";
            case REJECT -> "rejected";
        };
    }
}
