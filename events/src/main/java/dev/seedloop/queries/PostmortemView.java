package dev.seedloop.queries;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A study's postmortem, built by the learner from its stored events in one pass (issue #5): what happened
 * when, which proposals became champion and on what evidence, what each strategy operator yielded and cost,
 * how experiments failed, which results looked too good to be true, where work waited, and who intervened.
 *
 * <p>Times are the events' {@code occurredAt} unless a component says otherwise; durations are milliseconds.
 * Lists are in study order unless documented otherwise and never null; components documented as nullable
 * are null when the events did not tell (e.g. a study that has not ended). Log text appears only in
 * {@link FailureGroup#sampleLogTail()} and {@link Suspect#validationDetail()}, shortened: it comes from
 * the experiments, so renderers must treat it as untrusted.
 *
 * @param lastSequence the study sequence of the last event the postmortem read
 */
public record PostmortemView(String studyId, Study study, Totals totals, List<TimelineEntry> timeline,
                             List<Promotion> lineage, List<Yield> yields, Failures failures,
                             List<Suspect> possibleRewardHacking, List<StageQueue> queues,
                             List<Intervention> interventions, long lastSequence) {

    /**
     * The study as specified and how it ended. {@code status} is created, running, paused, completed or
     * halted; {@code endedAt} and {@code endReason} (the completion reason, or the halt's reason) are null
     * while it runs; {@code championValue}/{@code championProposalId} null before the first champion.
     * Null {@code name}, {@code metric}... only when the study's StudyCreated is missing.
     */
    public record Study(String name, String team, String status, Instant createdAt, String createdBy,
                        String strategy, String promotion, String metric, String direction, Double target,
                        Integer maxExperiments, Long maxWallSeconds, Integer parallelism, Instant endedAt,
                        String endReason, Instant lastEventAt, UUID championProposalId, Double championValue,
                        String forkedFrom, Long forkedAt) {
    }

    /** Counts over the whole study; {@code compute} sums every experiment outcome's resource usage. */
    public record Totals(int events, int proposals, int proposalsRejected, int experimentsStarted,
                         int experimentsCompleted, int experimentsFailed, int evaluations, int invalidEvaluations,
                         int championChanges, Compute compute) {
    }

    /** Resources spent: wall and CPU time summed, the largest resident set seen. */
    public record Compute(long wallMillis, long cpuMillis, long maxRssKiB) {
    }

    /**
     * A notable moment: {@code kind} is created, first-experiment, champion, promotion-requested, approved,
     * rejected, paused, resumed, halted, completed, new-failure (the first of a failure group) or
     * reward-hacking-suspect. {@code by} names the person for human actions (null otherwise);
     * {@code recordedAt} is when the learner stored the event (null when unknown).
     */
    public record TimelineEntry(long sequence, Instant at, Instant recordedAt, String kind, String summary,
                                String by) {
    }

    /**
     * One champion change and the evidence that earned it. {@code previousValue} is the champion value it
     * replaced (null for the first). Under manual promotion {@code requestedAt} is when the evaluator asked,
     * {@code approvedBy}/{@code approvalReason}/{@code approvedAt} who approved; all null under auto promotion.
     * {@code evidence} is null if the winning evaluation was not stored.
     */
    public record Promotion(long sequence, Instant at, UUID proposalId, UUID previousProposalId, UUID evaluationId,
                            UUID experimentId, String strategy, String operator, double value, Double previousValue,
                            Views.EvidenceView evidence, Instant requestedAt, String approvedBy, String approvalReason,
                            Instant approvedAt) {
    }

    /**
     * What one operator of one strategy produced: proposals made and rejected before running, experiments
     * started and failed, evaluations judged invalid, champion changes it won ({@code improvements}), its best
     * valid value (null: none) and the compute its experiments spent. Sorted by strategy, then operator.
     */
    public record Yield(String strategy, String operator, int proposals, int rejected, int experiments, int failures,
                        int invalid, int improvements, Double bestValue, Compute compute) {
    }

    /** Failed experiments counted by reason and grouped by reason and log-tail fingerprint. */
    public record Failures(List<ReasonCount> byReason, List<FailureGroup> groups) {
    }

    /** {@code reason}: timeout, crashed, bad-metrics, build-failed, sandbox-refused. Most frequent first. */
    public record ReasonCount(String reason, int count, Compute compute) {
    }

    /**
     * Failures of one reason whose log tails have the same shape: {@code fingerprint} hashes
     * {@code signature}, the tail's last lines with numbers, hex ids, paths and timestamps normalised away,
     * so one crash seen with different values is one group. {@code sampleDetail} and {@code sampleLogTail}
     * are the first occurrence's, shortened; {@code experimentIds} the first few of the group (of
     * {@code count}). Largest group first.
     */
    public record FailureGroup(String reason, String fingerprint, String signature, int count, Instant firstAt,
                               Instant lastAt, String sampleDetail, String sampleLogTail, List<UUID> experimentIds) {
    }

    /**
     * An experiment whose metric beat the champion of its time but that was refused for it: {@code kind}
     * {@code validation-failed} (the study's validation command failed) or {@code held-out-degraded} (its
     * held-out value was worse than the champion's beyond the evaluator's tolerance). Winning on the metric
     * the proposer optimises while failing the checks it never sees is how reward hacking shows.
     * {@code championValue}/{@code championHeldOut} are the champion's at the time (null: none);
     * {@code validationDetail} the validation's own words, shortened (null when it passed).
     */
    public record Suspect(long sequence, Instant at, String kind, UUID proposalId, UUID experimentId,
                          UUID evaluationId, String operator, double value, Double championValue,
                          Double heldOutValue, Double championHeldOut, String reason, String validationDetail) {
    }

    /**
     * Time work waited for one stage, measured between two events: {@code implementer} from a proposal to
     * its experiment starting, {@code evaluator} from an experiment's outcome to its evaluation,
     * {@code learner} from an evaluation to the decision it caused (strategy update or completion).
     * {@code waiting}: items that had not been served when the postmortem was built (or never were, when the
     * study ended first). Statistics are null when {@code count} is 0.
     */
    public record StageQueue(String stage, String measured, int count, Long meanMillis, Long p50Millis,
                             Long p95Millis, Long maxMillis, long totalMillis, int waiting) {
    }

    /**
     * A human decision: {@code action} paused, resumed, halted, approved or rejected; {@code proposalId} the
     * candidate of an approval or rejection (null otherwise); {@code reason} null when none was given.
     */
    public record Intervention(long sequence, Instant at, String action, String by, String reason,
                               UUID proposalId) {
    }
}
