package dev.seedloop.queries;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** The read models the learner serves. Nullable components are documented per record. */
public final class Views {

    private Views() {
    }

    /**
     * One study as the loop knows it now. {@code status}: created, running, paused, completed, halted.
     * {@code champion} is null before the first one; {@code lastSequence} is the study sequence of the
     * latest event folded in (the resume point of a live stream). {@code origin} is null unless the study is a fork.
     * {@code modelSpend} is null for a study that made no language-model call and set no model budget.
     */
    public record StudyView(String id, String team, String name, String status, Instant createdAt, String createdBy,
                            String strategy, String promotion, String metric, String direction, BudgetView budget,
                            ChampionView champion, List<CandidateView> pendingApprovals, int proposals,
                            int experimentsCompleted, int experimentsFailed, int evaluations, long lastSequence,
                            String completionReason, List<ControlView> controls, OriginView origin,
                            ModelSpendView modelSpend) {
    }

    /**
     * A study's language-model spend so far, from its ModelCallCompleted events: calls (failed and replayed ones
     * among them), tokens and cost billed (replayed calls bill nothing), the study's caps (null: no cap of that kind)
     * and {@code projectedCostUsd}, the cost at the end of the budget if the calls still to come cost what the calls
     * so far did per experiment (null before the first billed call).
     */
    public record ModelSpendView(long calls, long failedCalls, long replayedCalls, long tokensIn, long tokensOut,
                                 double costUsd, Long maxCalls, Long maxTokens, Double maxCostUsd,
                                 Double projectedCostUsd) {
    }

    /**
     * Where a fork comes from: the source study and its sequence at the fork, the source's champion then (null
     * if it had none), how many evaluated proposals the fork inherited and how many older ones it left out.
     */
    public record OriginView(String studyId, long atSequence, UUID championProposalId, Double championValue,
                             int inherited, int omitted) {
    }

    public record BudgetView(int maxExperiments, int used, int remaining, int parallelism) {
    }

    /** The champion and the evidence that promoted it; {@code approvedBy} is set under manual promotion. */
    public record ChampionView(UUID proposalId, UUID evaluationId, double value, Instant since, EvidenceView evidence,
                               String approvedBy) {
    }

    /** What the evaluator measured; statistics are null when not applicable (e.g. the first champion). */
    public record EvidenceView(String reason, Double mean, Double ciLow, Double ciHigh, Integer repeats, Double pValue,
                               boolean validationPassed, Double heldOutValue) {
    }

    /** A candidate waiting for an approver; {@code comparedWith} is the champion it beat (null: none yet). */
    public record CandidateView(UUID proposalId, UUID evaluationId, double value, Instant requestedAt,
                                UUID comparedWith) {
    }

    /** A human intervention: paused, resumed, halted, approved, rejected. */
    public record ControlView(String action, String by, String reason, Instant at) {
    }

    public record StudySummaryView(String id, String name, String status, Instant createdAt, String createdBy,
                                   int budgetUsed, int maxExperiments, Double championValue) {
    }

    public record StudyPage(List<StudySummaryView> items, int offset, int limit, long total) {
    }

    /** One stored event: its study sequence and the envelope exactly as stored. */
    public record StoredEventView(long sequence, JsonNode event) {
    }

    /** {@code more}: further events exist after the last item (ask again after its sequence). */
    public record EventPage(List<StoredEventView> items, boolean more) {
    }

    /**
     * {@code nodes}: one page of the parent tree, from {@code offset}, of {@code nodesTotal} in all.
     * {@code origin}: for a fork, where its inherited nodes come from (null otherwise).
     */
    public record LineageView(List<ChampionStepView> champions, List<LineageNodeView> nodes, OriginView origin,
                              int offset, int nodesTotal) {
    }

    public record ChampionStepView(UUID proposalId, UUID previousProposalId, double value, Instant at,
                                   String approvedBy) {
    }

    /**
     * A proposal in the parent tree; {@code verdict} and {@code value} are null until it is evaluated.
     * {@code inheritedFrom} names the study a fork inherited the node from (its verdict and value are that
     * study's); null for the study's own proposals.
     */
    public record LineageNodeView(UUID proposalId, List<UUID> parents, String operator, String verdict, Double value,
                                  String inheritedFrom) {
    }

    /** {@code outcome}: running, completed, failed. {@code exitCode}/{@code failure} when known. */
    public record ExperimentLogView(UUID experimentId, UUID proposalId, String outcome, Integer exitCode,
                                    String failure, String logTail) {
    }

    /**
     * A team's usage and its quotas as last set; quotas are null when never set (the gateway then applies
     * its configured defaults).
     */
    public record TeamUsageView(String team, Integer maxConcurrentStudies, Integer maxExperimentsPerDay,
                                int activeStudies, int experimentsToday, String quotaSetBy, Instant quotaSetAt) {
    }

    /** Whether something exists. */
    public record ExistsView(boolean exists) {
    }

    /**
     * The learner's answer to an admission. Admitted: {@code reservedUntil} is when the held place lapses if no
     * StudyCreated arrives. Refused: {@code status} 429 (try again after {@code retryAfterSeconds}) or 403 (never
     * as asked), with a title and detail for the problem body.
     */
    public record AdmissionView(boolean admitted, Instant reservedUntil, Integer status, String title, String detail,
                                Long retryAfterSeconds) {
    }

    /**
     * What a study's charts show, aggregated by the learner from the study's events up to {@code sequence} (the
     * sequence asked for, or the study's last when none was or it has fewer). {@code evaluationsTotal} counts every evaluation; those with a measured value are points (an
     * experiment that failed has none and shows in the failures). {@code points}: in evaluation order, at most as many
     * as asked; when there were more, {@code pointsOmitted} of them were left out, never a champion's nor the latest,
     * and the lowest and highest of each stretch of the order kept. {@code champions}: every champion change, in
     * order. {@code experimentsByState}: keys waiting (proposed, no experiment started yet), running, completed, failed
     * (an experiment is one start). {@code failuresByReason}: FailureReason wire names (only those that occurred).
     * {@code parameters}: the search space in spec order. {@code metric} and {@code direction} are null only while
     * the study's StudyCreated lies beyond {@code sequence}.
     */
    public record StudyChartsView(String studyId, long sequence, String metric, String direction,
                                  int evaluationsTotal, int pointsOmitted, List<ChartPointView> points,
                                  List<ChampionPointView> champions, Map<String, Integer> experimentsByState,
                                  Map<String, Integer> failuresByReason, List<ParameterAxisView> parameters) {
    }

    /**
     * One evaluation with a value: {@code index} its 1-based ordinal among all the study's evaluations; {@code value}
     * the mean of its objective metric and {@code ciLow}/{@code ciHigh} its confidence interval (from the evaluator's
     * metric summary); {@code verdict} its wire name (an invalid one that has a value failed validation);
     * {@code params} its proposal's parameters (empty when its ProposalCreated was not seen).
     */
    public record ChartPointView(int index, UUID proposalId, double value, Double ciLow, Double ciHigh,
                                 String verdict, Map<String, Object> params) {
    }

    /**
     * A champion change: {@code index} the ordinal of the evaluation that crowned it (0 when that evaluation is not in
     * the study's events, e.g. a fork's inherited champion), the winning value, that evaluation's interval (null
     * without it), and the study sequence of the change.
     */
    public record ChampionPointView(int index, UUID proposalId, double value, Double ciLow, Double ciHigh,
                                    long sequence) {
    }

    /** A search-space axis: {@code kind} float, int or categorical; bounds for numbers, choices for categories. */
    public record ParameterAxisView(String name, String kind, Double low, Double high, List<String> choices) {
    }

    /** The answer to a ping: when the learner answered. */
    public record PongView(Instant answeredAt) {
    }
}
