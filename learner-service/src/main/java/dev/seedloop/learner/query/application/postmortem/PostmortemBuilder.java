package dev.seedloop.learner.query.application.postmortem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BinaryOperator;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.TeamQuotaSet;
import dev.seedloop.events.Verdict;
import dev.seedloop.learner.domain.ControlAction;
import dev.seedloop.learner.domain.StudyStatus;
import dev.seedloop.learner.domain.WireNames;
import dev.seedloop.learner.query.domain.postmortem.ComputeTally;
import dev.seedloop.learner.query.domain.postmortem.LogFingerprint;
import dev.seedloop.learner.query.domain.postmortem.StageClock;
import dev.seedloop.queries.PostmortemView;
import dev.seedloop.queries.Views;

/**
 * Builds a study's {@link PostmortemView} from its stored events, fed once each in study order
 * ({@link #accept}), then {@link #build}. Pure: no clock, no I/O; the same events give the same postmortem.
 *
 * <p>Memory grows with the study's proposals and experiments (a few ids, times and numbers each), never with
 * its log text: a failure keeps its group's fingerprint, and only the first of each group a shortened
 * sample. Joins that cross topics (an approval and the champion change it caused travel separately, so
 * either may be stored first) are made in {@link #build}, not on arrival.
 *
 * <p>Possible reward hacking is read off the evaluator's verdicts ({@code PromotionRule}): an INVALID
 * evaluation with a metric summary either failed validation (flagged when its mean beat the champion of
 * its time) or, having passed validation, lost on the held-out metric beyond the tolerance, which the
 * evaluator only checks for a candidate that would otherwise have won.
 */
public final class PostmortemBuilder {

    static final int DETAIL_CHARS = 300;
    static final int SAMPLE_LINES = 12;
    static final int SAMPLE_CHARS = 2000;
    static final int GROUP_EXAMPLES = 10;
    private static final String UNKNOWN = "unknown";

    private final String studyId;

    private StudyCreated spec;
    private String team;
    private Instant createdAt;
    private StudyStatus status = StudyStatus.NEW;
    private Instant endedAt;
    private String endReason;
    private Instant lastEventAt;
    private long lastSequence;

    private int events;
    private int proposals;
    private int proposalsRejected;
    private int experimentsStarted;
    private int experimentsCompleted;
    private int experimentsFailed;
    private int evaluations;
    private int invalidEvaluations;
    private final ComputeTally compute = new ComputeTally();

    private final Map<UUID, Origin> origins = new HashMap<>();
    /** Per proposal, credited to its operator in {@link #build}: its ProposalCreated may be stored late. */
    private final Map<UUID, YieldTally> yields = new HashMap<>();

    private final StageClock<UUID> implementerQueue = new StageClock<>("implementer",
            "proposal created → experiment started");
    private final StageClock<UUID> evaluatorQueue = new StageClock<>("evaluator",
            "experiment outcome → evaluation completed");
    private final StageClock<UUID> learnerQueue = new StageClock<>("learner",
            "evaluation completed → the learner's decision (strategy update or completion)");

    /** Validation failures' own words, until their evaluation: the only per-experiment text kept. */
    private final Map<UUID, String> validationDetails = new HashMap<>();
    /** NEW_CHAMPION evaluations, the evidence of promotions. */
    private final Map<UUID, EvaluationCompleted> wins = new HashMap<>();
    private final Map<UUID, Instant> promotionRequests = new HashMap<>();
    private final Map<UUID, Approval> approvalsByEvent = new HashMap<>();
    private final Map<UUID, Approval> approvalsByProposal = new HashMap<>();
    private final List<ChampionStep> champions = new ArrayList<>();
    private Double championValue;
    private Double championHeldOut;
    private UUID championProposalId;

    private final Map<String, ReasonTally> failureReasons = new LinkedHashMap<>();
    private final Map<String, GroupTally> failureGroups = new LinkedHashMap<>();

    private final ModelCallTally modelCalls = new ModelCallTally();

    private final List<Flagged> suspects = new ArrayList<>();
    private final List<PostmortemView.TimelineEntry> timeline = new ArrayList<>();
    private final List<PostmortemView.Intervention> interventions = new ArrayList<>();

    public PostmortemBuilder(String studyId) {
        this.studyId = studyId;
    }

    /**
     * Folds in the study's next stored event.
     *
     * @param sequence   its study sequence (1, 2, ...)
     * @param recordedAt when the learner stored it; null when unknown
     */
    public void accept(EventEnvelope event, long sequence, Instant recordedAt) {
        events++;
        lastSequence = Math.max(lastSequence, sequence);
        Instant at = event.occurredAt();
        if (lastEventAt == null || at.isAfter(lastEventAt)) {
            lastEventAt = at;
        }
        Moment when = new Moment(sequence, at, recordedAt);
        switch (event.payload()) {
            case StudyCreated c -> onCreated(event, c, when);
            case StudyPaused p -> {
                intervene(when, ControlAction.PAUSED, p.by(), p.reason(), null, "paused" + because(p.reason()));
                if (status == StudyStatus.CREATED || status == StudyStatus.RUNNING) {
                    status = StudyStatus.PAUSED;
                }
            }
            case StudyResumed r -> {
                intervene(when, ControlAction.RESUMED, r.by(), null, null, "resumed");
                if (status == StudyStatus.PAUSED) {
                    status = StudyStatus.RUNNING;
                }
            }
            case StudyHalted h -> {
                intervene(when, ControlAction.HALTED, h.by(), h.reason(), null, "halted" + because(h.reason()));
                end(StudyStatus.HALTED, at, "halted by " + h.by() + because(h.reason()));
            }
            case StudyCompleted c -> onCompleted(event, c, when);
            case ProposalCreated p -> onProposal(p, at);
            case ProposalRejected r -> {
                proposalsRejected++;
                yieldOf(r.proposalId()).rejected++;
                implementerQueue.drop(r.proposalId());
            }
            case ExperimentStarted s -> onStarted(s, when);
            case ExperimentCompleted c -> {
                experimentsCompleted++;
                spent(c.proposalId(), c.usage());
                evaluatorQueue.enqueue(c.experimentId(), at);
                if (c.validation() != null && !c.validation().passed()) {
                    validationDetails.put(c.experimentId(), Text.head(c.validation().detail(), DETAIL_CHARS));
                }
            }
            case ExperimentFailed f -> onFailed(f, when);
            case EvaluationCompleted e -> onEvaluation(event, e, when);
            case ChampionChanged c -> onChampion(event, c, when);
            case PromotionRequested r -> {
                promotionRequests.putIfAbsent(r.evaluationId(), at);
                note(when, "promotion-requested", "candidate " + Text.shortId(r.proposalId()) + " awaits approval: "
                        + metric() + " " + Text.num(r.value()) + " vs champion " + Text.num(championValue), null);
            }
            case PromotionApproved a -> {
                Approval approval = new Approval(a.by(), a.reason(), at);
                approvalsByEvent.put(event.eventId(), approval);
                approvalsByProposal.putIfAbsent(a.proposalId(), approval);
                intervene(when, ControlAction.APPROVED, a.by(), a.reason(), a.proposalId(),
                        "candidate " + Text.shortId(a.proposalId()) + " approved" + because(a.reason()));
            }
            case PromotionRejected r -> intervene(when, ControlAction.REJECTED, r.by(), r.reason(), r.proposalId(),
                    "candidate " + Text.shortId(r.proposalId()) + " rejected" + because(r.reason()));
            case StrategyUpdated u -> decided(event, at);
            case ModelCallCompleted m -> modelCalls.add(m);
            case TeamQuotaSet q -> {
                // A team's stream, not a study's: nothing to tell about the study.
            }
        }
    }

    private void onCreated(EventEnvelope event, StudyCreated c, Moment when) {
        if (spec != null) {
            return;
        }
        spec = c;
        team = event.team();
        createdAt = event.occurredAt();
        if (status == StudyStatus.NEW) {
            status = StudyStatus.CREATED;
        }
        note(when, "created", "study '" + c.name() + "' created: " + WireNames.of(c.objective().direction()) + " "
                + c.objective().metric() + (c.objective().target() == null ? "" : " to " + Text.num(c.objective().target()))
                + ", budget " + c.budget().maxExperiments() + " experiments / " + c.budget().maxWallSeconds()
                + " s, parallelism " + c.budget().parallelism() + ", strategy " + c.strategy() + ", promotion "
                + WireNames.of(c.promotion()), c.createdBy());
    }

    private void onCompleted(EventEnvelope event, StudyCompleted c, Moment when) {
        decided(event, when.at());
        if (status.isTerminal()) {
            return;
        }
        end(StudyStatus.COMPLETED, when.at(), c.reason());
        String spend = modelCalls.total();
        note(when, "completed", "completed (" + c.reason() + ") after " + c.experimentsRun() + " experiments, best "
                + metric() + " " + Text.num(c.bestValue()) + (spend.isEmpty() ? "" : "; " + spend), null);
    }

    private void end(StudyStatus terminal, Instant at, String reason) {
        if (!status.isTerminal()) {
            status = terminal;
            endedAt = at;
            endReason = reason;
        }
    }

    private void onProposal(ProposalCreated p, Instant at) {
        proposals++;
        origins.putIfAbsent(p.proposalId(), new Origin(p.strategy(), p.operator()));
        yieldOf(p.proposalId()).proposals++;
        implementerQueue.enqueue(p.proposalId(), at);
        markRunning();
    }

    private void onStarted(ExperimentStarted s, Moment when) {
        experimentsStarted++;
        yieldOf(s.proposalId()).experiments++;
        implementerQueue.serve(s.proposalId(), when.at());
        if (experimentsStarted == 1) {
            note(when, "first-experiment", "first experiment started (proposal " + Text.shortId(s.proposalId())
                    + ")", null);
        }
        markRunning();
    }

    private void onFailed(ExperimentFailed f, Moment when) {
        experimentsFailed++;
        spent(f.proposalId(), f.usage());
        yieldOf(f.proposalId()).failures++;
        evaluatorQueue.enqueue(f.experimentId(), when.at());
        String reason = WireNames.of(f.reason());
        failureReasons.computeIfAbsent(reason, r -> new ReasonTally()).add(f);
        String signature = LogFingerprint.signature(f.logTail());
        String fingerprint = LogFingerprint.hash(signature);
        GroupTally group = failureGroups.get(reason + " " + fingerprint);
        if (group == null) {
            group = new GroupTally(reason, fingerprint, signature, when.at(), Text.head(f.detail(), DETAIL_CHARS),
                    Text.tail(f.logTail(), SAMPLE_LINES, SAMPLE_CHARS));
            failureGroups.put(reason + " " + fingerprint, group);
            note(when, "new-failure", "first " + reason + " failure of shape " + fingerprint + " (proposal "
                    + Text.shortId(f.proposalId()) + "): " + Text.head(f.detail(), 120), null);
        }
        group.add(f.experimentId(), when.at());
    }

    private void onEvaluation(EventEnvelope event, EvaluationCompleted e, Moment when) {
        evaluations++;
        evaluatorQueue.serve(e.experimentId(), when.at());
        learnerQueue.enqueue(event.eventId(), when.at());
        String validationDetail = validationDetails.remove(e.experimentId());
        YieldTally tally = yieldOf(e.proposalId());
        MetricSummary summary = e.summary();
        if (e.verdict().disqualifies()) {
            invalidEvaluations++;
            tally.invalid++;
            if (summary != null) {
                suspect(e, summary.mean(), validationDetail, when);
            }
            return;
        }
        if (summary != null) {
            tally.best = better(tally.best, summary.mean());
        }
        if (e.verdict() == Verdict.NEW_CHAMPION) {
            wins.putIfAbsent(e.evaluationId(), e);
        }
    }

    private void suspect(EvaluationCompleted e, double value, String validationDetail, Moment when) {
        String kind;
        if (!e.validationPassed()) {
            if (championValue != null && !direction().isBetter(value, championValue)) {
                return;
            }
            kind = "validation-failed";
        } else if (e.heldOutValue() != null) {
            kind = "held-out-degraded";
        } else {
            return;
        }
        suspects.add(new Flagged(when, kind, e, value, championValue, championHeldOut, validationDetail));
        note(when, "reward-hacking-suspect", "possible reward hacking: proposal " + Text.shortId(e.proposalId())
                + " " + metric() + " " + Text.num(value) + " vs champion " + Text.num(championValue)
                + (kind.equals("validation-failed") ? " but validation failed"
                        : " but held-out " + Text.num(e.heldOutValue()) + " vs champion's " + Text.num(championHeldOut)),
                null);
    }

    private void onChampion(EventEnvelope event, ChampionChanged c, Moment when) {
        champions.add(new ChampionStep(when, c, event.causationId(), championValue));
        yieldOf(c.proposalId()).improvements++;
        EvaluationCompleted win = wins.get(c.evaluationId());
        String asked = modelCalls.of(c.proposalId());
        note(when, "champion", "new champion " + Text.shortId(c.proposalId()) + " (" + originOf(c.proposalId())
                .operator() + "): " + metric() + " " + Text.num(c.value()) + ", was " + Text.num(championValue)
                + (asked.isEmpty() ? "" : "; " + asked), null);
        championProposalId = c.proposalId();
        championValue = c.value();
        championHeldOut = win == null ? null : win.heldOutValue();
    }

    /** The learner's answer to an evaluation names it as its cause. */
    private void decided(EventEnvelope decision, Instant at) {
        if (decision.causationId() != null) {
            learnerQueue.serve(decision.causationId(), at);
        }
    }

    private void intervene(Moment when, ControlAction action, String by, String reason, UUID proposalId,
                           String summary) {
        String given = reason == null || reason.isBlank() ? null : reason;
        interventions.add(new PostmortemView.Intervention(when.sequence(), when.at(), WireNames.of(action), by, given,
                proposalId));
        note(when, WireNames.of(action), summary, by);
    }

    private void note(Moment when, String kind, String summary, String by) {
        timeline.add(new PostmortemView.TimelineEntry(when.sequence(), when.at(), when.recordedAt(), kind, summary,
                by));
    }

    private void spent(UUID proposalId, ResourceUsage usage) {
        compute.add(usage);
        yieldOf(proposalId).compute.add(usage);
    }

    private void markRunning() {
        if (status == StudyStatus.CREATED) {
            status = StudyStatus.RUNNING;
        }
    }

    private Origin originOf(UUID proposalId) {
        Origin origin = origins.get(proposalId);
        return origin != null ? origin : new Origin(spec == null ? UNKNOWN : spec.strategy(), UNKNOWN);
    }

    private YieldTally yieldOf(UUID proposalId) {
        return yields.computeIfAbsent(proposalId, p -> new YieldTally());
    }

    private Double better(Double best, Double candidate) {
        if (candidate == null) {
            return best;
        }
        return best == null || direction().isBetter(candidate, best) ? candidate : best;
    }

    private Direction direction() {
        return spec == null ? Direction.MINIMIZE : spec.objective().direction();
    }

    private String metric() {
        return spec == null ? "metric" : spec.objective().metric();
    }

    private static String because(String reason) {
        return reason == null || reason.isBlank() ? "" : ": " + reason;
    }

    /** The postmortem of everything accepted so far. */
    public PostmortemView build() {
        var study = new PostmortemView.Study(spec == null ? null : spec.name(), team,
                status == StudyStatus.NEW ? null : WireNames.of(status), createdAt,
                spec == null ? null : spec.createdBy(), spec == null ? null : spec.strategy(),
                spec == null ? null : WireNames.of(spec.promotion()), spec == null ? null : spec.objective().metric(),
                spec == null ? null : WireNames.of(spec.objective().direction()),
                spec == null ? null : spec.objective().target(),
                spec == null ? null : spec.budget().maxExperiments(), spec == null ? null : spec.budget().maxWallSeconds(),
                spec == null ? null : spec.budget().parallelism(), endedAt, endReason, lastEventAt,
                championProposalId, championValue, spec == null || spec.origin() == null ? null : spec.origin().studyId(),
                spec == null || spec.origin() == null ? null : spec.origin().atSequence());
        var totals = new PostmortemView.Totals(events, proposals, proposalsRejected, experimentsStarted,
                experimentsCompleted, experimentsFailed, evaluations, invalidEvaluations, champions.size(),
                compute.view());
        List<PostmortemView.Promotion> lineage = champions.stream().map(this::promotion).toList();
        Map<Origin, YieldTally> byOrigin = new TreeMap<>(Comparator.comparing(Origin::strategy)
                .thenComparing(Origin::operator));
        yields.forEach((proposal, tally) -> byOrigin.computeIfAbsent(originOf(proposal), o -> new YieldTally())
                .add(tally, this::better));
        List<PostmortemView.Yield> yieldViews = byOrigin.entrySet().stream()
                .map(y -> y.getValue().view(y.getKey()))
                .toList();
        var failures = new PostmortemView.Failures(
                failureReasons.entrySet().stream()
                        .sorted(Comparator.comparingInt((Map.Entry<String, ReasonTally> r) -> -r.getValue().count))
                        .map(r -> new PostmortemView.ReasonCount(r.getKey(), r.getValue().count,
                                r.getValue().compute.view()))
                        .toList(),
                failureGroups.values().stream()
                        .sorted(Comparator.comparingInt((GroupTally g) -> -g.count))
                        .map(GroupTally::view)
                        .toList());
        return new PostmortemView(studyId, study, totals, List.copyOf(timeline), lineage, yieldViews, failures,
                suspects.stream().map(this::suspect).toList(), List.of(implementerQueue.view(), evaluatorQueue.view(), learnerQueue.view()),
                List.copyOf(interventions), lastSequence);
    }

    private PostmortemView.Promotion promotion(ChampionStep step) {
        ChampionChanged c = step.change();
        EvaluationCompleted win = wins.get(c.evaluationId());
        Origin origin = originOf(c.proposalId());
        Approval approval = step.causationId() == null ? null : approvalsByEvent.get(step.causationId());
        if (approval == null) {
            approval = approvalsByProposal.get(c.proposalId());
        }
        return new PostmortemView.Promotion(step.when().sequence(), step.when().at(), c.proposalId(),
                c.previousProposalId(), c.evaluationId(), win == null ? null : win.experimentId(), origin.strategy(),
                origin.operator(), c.value(), step.previousValue(), win == null ? null : evidence(win),
                promotionRequests.get(c.evaluationId()), approval == null ? null : approval.by(),
                approval == null ? null : approval.reason(), approval == null ? null : approval.at());
    }

    private PostmortemView.Suspect suspect(Flagged f) {
        EvaluationCompleted e = f.evaluation();
        return new PostmortemView.Suspect(f.when().sequence(), f.when().at(), f.kind(), e.proposalId(),
                e.experimentId(), e.evaluationId(), originOf(e.proposalId()).operator(), f.value(), f.championValue(),
                e.heldOutValue(), f.championHeldOut(), e.reason(), f.validationDetail());
    }

    private static Views.EvidenceView evidence(EvaluationCompleted e) {
        MetricSummary s = e.summary();
        return new Views.EvidenceView(e.reason(), s == null ? null : s.mean(), s == null ? null : s.ciLow(),
                s == null ? null : s.ciHigh(), s == null ? null : s.n(), e.pValue(), e.validationPassed(),
                e.heldOutValue());
    }

    private record Moment(long sequence, Instant at, Instant recordedAt) {
    }

    private record Origin(String strategy, String operator) {
    }

    private record Approval(String by, String reason, Instant at) {
    }

    private record Flagged(Moment when, String kind, EvaluationCompleted evaluation, double value,
                           Double championValue, Double championHeldOut, String validationDetail) {
    }

    private record ChampionStep(Moment when, ChampionChanged change, UUID causationId, Double previousValue) {
    }

    private static final class YieldTally {
        int proposals;
        int rejected;
        int experiments;
        int failures;
        int invalid;
        int improvements;
        Double best;
        final ComputeTally compute = new ComputeTally();

        void add(YieldTally other, BinaryOperator<Double> better) {
            proposals += other.proposals;
            rejected += other.rejected;
            experiments += other.experiments;
            failures += other.failures;
            invalid += other.invalid;
            improvements += other.improvements;
            best = better.apply(best, other.best);
            compute.add(other.compute);
        }

        PostmortemView.Yield view(Origin origin) {
            return new PostmortemView.Yield(origin.strategy(), origin.operator(), proposals, rejected, experiments,
                    failures, invalid, improvements, best, compute.view());
        }
    }

    private static final class ReasonTally {
        int count;
        final ComputeTally compute = new ComputeTally();

        void add(ExperimentFailed f) {
            count++;
            compute.add(f.usage());
        }
    }

    private static final class GroupTally {
        final String reason;
        final String fingerprint;
        final String signature;
        final Instant firstAt;
        final String sampleDetail;
        final String sampleLogTail;
        final List<UUID> examples = new ArrayList<>();
        Instant lastAt;
        int count;

        GroupTally(String reason, String fingerprint, String signature, Instant firstAt, String sampleDetail,
                   String sampleLogTail) {
            this.reason = reason;
            this.fingerprint = fingerprint;
            this.signature = signature;
            this.firstAt = firstAt;
            this.lastAt = firstAt;
            this.sampleDetail = sampleDetail;
            this.sampleLogTail = sampleLogTail;
        }

        void add(UUID experimentId, Instant at) {
            count++;
            lastAt = at.isAfter(lastAt) ? at : lastAt;
            if (examples.size() < GROUP_EXAMPLES) {
                examples.add(experimentId);
            }
        }

        PostmortemView.FailureGroup view() {
            return new PostmortemView.FailureGroup(reason, fingerprint, signature, count, firstAt, lastAt,
                    sampleDetail, sampleLogTail, List.copyOf(examples));
        }
    }
}
