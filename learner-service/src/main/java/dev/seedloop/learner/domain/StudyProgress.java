package dev.seedloop.learner.domain;

import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;

/**
 * Where a study is: its status (and why it completed) and what it has counted. {@code resumes} counts applied
 * StudyResumed events because resumption is a decision point; a resume of a study that is not paused counts not.
 */
public record StudyProgress(StudyStatus status, String completionReason, int proposals, int proposalsRejected,
                            int experimentsStarted, int experimentsCompleted, int experimentsFailed, int evaluations,
                            int invalidEvaluations, int resumes) {

    public static final StudyProgress EMPTY = new StudyProgress(StudyStatus.NEW, null, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * The progress after {@code event} (one the study has not seen, and not a second StudyCreated); the same
     * instance when it changes nothing.
     */
    static StudyProgress evolve(StudyProgress p, EventEnvelope event) {
        return switch (event.payload()) {
            case StudyCreated c -> p.status == StudyStatus.NEW ? p.with(StudyStatus.CREATED) : p;
            case StudyPaused x -> p.status == StudyStatus.CREATED || p.status == StudyStatus.RUNNING
                    ? p.with(StudyStatus.PAUSED) : p;
            case StudyResumed x -> p.status == StudyStatus.PAUSED ? new StudyProgress(StudyStatus.RUNNING,
                    p.completionReason, p.proposals, p.proposalsRejected, p.experimentsStarted,
                    p.experimentsCompleted, p.experimentsFailed, p.evaluations, p.invalidEvaluations,
                    p.resumes + 1) : p;
            case StudyHalted x -> p.status.isTerminal() ? p : p.with(StudyStatus.HALTED);
            case StudyCompleted c -> p.status.isTerminal() ? p : new StudyProgress(StudyStatus.COMPLETED, c.reason(),
                    p.proposals, p.proposalsRejected, p.experimentsStarted, p.experimentsCompleted,
                    p.experimentsFailed, p.evaluations, p.invalidEvaluations, p.resumes);
            case ProposalCreated x -> new StudyProgress(running(p.status), p.completionReason, p.proposals + 1,
                    p.proposalsRejected, p.experimentsStarted, p.experimentsCompleted, p.experimentsFailed,
                    p.evaluations, p.invalidEvaluations, p.resumes);
            case ProposalRejected x -> new StudyProgress(p.status, p.completionReason, p.proposals,
                    p.proposalsRejected + 1, p.experimentsStarted, p.experimentsCompleted, p.experimentsFailed,
                    p.evaluations, p.invalidEvaluations, p.resumes);
            case ExperimentStarted x -> new StudyProgress(running(p.status), p.completionReason, p.proposals,
                    p.proposalsRejected, p.experimentsStarted + 1, p.experimentsCompleted, p.experimentsFailed,
                    p.evaluations, p.invalidEvaluations, p.resumes);
            case ExperimentCompleted x -> new StudyProgress(p.status, p.completionReason, p.proposals,
                    p.proposalsRejected, p.experimentsStarted, p.experimentsCompleted + 1, p.experimentsFailed,
                    p.evaluations, p.invalidEvaluations, p.resumes);
            case ExperimentFailed x -> new StudyProgress(p.status, p.completionReason, p.proposals,
                    p.proposalsRejected, p.experimentsStarted, p.experimentsCompleted, p.experimentsFailed + 1,
                    p.evaluations, p.invalidEvaluations, p.resumes);
            case EvaluationCompleted e -> new StudyProgress(p.status, p.completionReason, p.proposals,
                    p.proposalsRejected, p.experimentsStarted, p.experimentsCompleted, p.experimentsFailed,
                    p.evaluations + 1, p.invalidEvaluations + (invalid(e) ? 1 : 0), p.resumes);
            default -> p;
        };
    }

    /** An evaluation that says nothing of the proposal's value: disqualified, or without a summary. */
    static boolean invalid(EvaluationCompleted e) {
        return e.verdict().disqualifies() || e.summary() == null;
    }

    private static StudyStatus running(StudyStatus status) {
        return status == StudyStatus.CREATED ? StudyStatus.RUNNING : status;
    }

    private StudyProgress with(StudyStatus next) {
        return new StudyProgress(next, completionReason, proposals, proposalsRejected, experimentsStarted,
                experimentsCompleted, experimentsFailed, evaluations, invalidEvaluations, resumes);
    }
}
