package dev.seedloop.learner.query.domain.charts;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Verdict;
import dev.seedloop.learner.domain.WireNames;
import dev.seedloop.queries.Views;

/**
 * Builds a study's {@link Views.StudyChartsView} from its stored events, fed once each in study order
 * ({@link #accept}), then {@link #build}. Pure: no clock, no I/O; the same events give the same charts.
 *
 * <p>Only the event types of {@link #TYPES} matter (others are ignored), so the reader can leave the rest, above all
 * the heavy StrategyUpdated, in the store. Memory grows with the study's proposals and evaluations (ids, a few
 * numbers and a reference to each proposal's parameters), never with logs.
 *
 * <p>An experiment is one ExperimentStarted: a proposal run again counts again. A proposal is waiting from its
 * ProposalCreated until an experiment of it starts (or ends, for an outcome whose start was not seen) or it is
 * rejected. Every EvaluationCompleted takes the next index (1, 2, ...), but only one with a metric summary is a point:
 * an experiment that failed has no value to plot and shows in the failures instead. A champion's index is that of
 * the evaluation that crowned it, joined in {@link #build} since the two may be stored in either order.
 */
public final class ChartsBuilder {

    /** The logical types the charts are made of. */
    public static final List<String> TYPES = List.of(EventTypes.STUDY_CREATED, EventTypes.PROPOSAL_CREATED,
            EventTypes.PROPOSAL_REJECTED, EventTypes.EXPERIMENT_STARTED, EventTypes.EXPERIMENT_COMPLETED,
            EventTypes.EXPERIMENT_FAILED, EventTypes.EVALUATION_COMPLETED, EventTypes.CHAMPION_CHANGED);

    private enum Outcome { RUNNING, COMPLETED, FAILED }

    /** An evaluation with a value, as a chart point will show it. */
    private record Point(int index, UUID proposalId, double value, double ciLow, double ciHigh, Verdict verdict) {
    }

    private record Step(UUID proposalId, UUID evaluationId, double value, long sequence) {
    }

    private final String studyId;
    private StudyCreated spec;
    private long sequence;

    private final Map<UUID, Map<String, Object>> parameters = new HashMap<>();
    /** Proposals in no experiment yet and not rejected. */
    private final Set<UUID> waiting = new HashSet<>();
    /** Proposals that left the waiting state (started, ended or rejected): a late ProposalCreated stays out of it. */
    private final Set<UUID> taken = new HashSet<>();
    private final Map<UUID, Outcome> experiments = new HashMap<>();
    private final EnumMap<FailureReason, Integer> failures = new EnumMap<>(FailureReason.class);
    private int running;
    private int completed;
    private int failed;

    private int evaluations;
    private final Map<UUID, Integer> evaluationIndex = new HashMap<>();
    /** Evaluation id → its point's position in {@link #points}. */
    private final Map<UUID, Integer> pointsByEvaluation = new HashMap<>();
    private final List<Point> points = new ArrayList<>();
    private final List<Step> champions = new ArrayList<>();
    private final Set<UUID> championEvaluations = new HashSet<>();

    public ChartsBuilder(String studyId) {
        this.studyId = studyId;
    }

    /** The study sequence of the last event told (or noted by {@link #toldUpTo}); 0 before any. */
    public long sequence() {
        return sequence;
    }

    /** Folds in the study's next stored event, of study sequence {@code sequence}. */
    public void accept(EventPayload payload, long sequence) {
        this.sequence = Math.max(this.sequence, sequence);
        switch (payload) {
            case StudyCreated c -> {
                if (spec == null) {
                    spec = c;
                }
            }
            case ProposalCreated p -> {
                if (parameters.putIfAbsent(p.proposalId(), p.parameters()) == null && !taken.contains(p.proposalId())) {
                    waiting.add(p.proposalId());
                }
            }
            case ProposalRejected r -> take(r.proposalId());
            case ExperimentStarted s -> {
                take(s.proposalId());
                if (experiments.putIfAbsent(s.experimentId(), Outcome.RUNNING) == null) {
                    running++;
                }
            }
            case ExperimentCompleted c -> {
                if (end(c.experimentId(), c.proposalId(), Outcome.COMPLETED)) {
                    completed++;
                }
            }
            case ExperimentFailed f -> {
                if (end(f.experimentId(), f.proposalId(), Outcome.FAILED)) {
                    failed++;
                    failures.merge(f.reason(), 1, Integer::sum);
                }
            }
            case EvaluationCompleted e -> onEvaluation(e);
            case ChampionChanged c -> {
                if (championEvaluations.add(c.evaluationId())) {
                    champions.add(new Step(c.proposalId(), c.evaluationId(), c.value(), sequence));
                }
            }
            default -> {
                // Not part of any chart.
            }
        }
    }

    /**
     * Notes that the study's events up to {@code sequence} have all been told, those not told being of no chart's
     * type: the answer then says it is as of {@code sequence}, not as of the last event that mattered to it.
     */
    public void toldUpTo(long sequence) {
        this.sequence = Math.max(this.sequence, sequence);
    }

    private void take(UUID proposalId) {
        taken.add(proposalId);
        waiting.remove(proposalId);
    }

    /** Whether the experiment's first outcome: a repeated one changes nothing. */
    private boolean end(UUID experimentId, UUID proposalId, Outcome outcome) {
        take(proposalId);
        Outcome before = experiments.get(experimentId);
        if (before != null && before != Outcome.RUNNING) {
            return false;
        }
        experiments.put(experimentId, outcome);
        if (before == Outcome.RUNNING) {
            running--;
        }
        return true;
    }

    private void onEvaluation(EvaluationCompleted e) {
        if (evaluationIndex.containsKey(e.evaluationId())) {
            return;
        }
        int index = ++evaluations;
        evaluationIndex.put(e.evaluationId(), index);
        MetricSummary summary = e.summary();
        if (summary != null) {
            Point point = new Point(index, e.proposalId(), summary.mean(), summary.ciLow(), summary.ciHigh(),
                    e.verdict());
            pointsByEvaluation.put(e.evaluationId(), points.size());
            points.add(point);
        }
    }

    /** The charts with at most {@code maxPoints} evaluation points (at least 1). */
    public Views.StudyChartsView build(int maxPoints) {
        BitSet required = new BitSet(points.size());
        double[] values = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            values[i] = points.get(i).value();
        }
        List<Views.ChampionPointView> championViews = new ArrayList<>(champions.size());
        for (Step step : champions) {
            Integer position = pointsByEvaluation.get(step.evaluationId());
            Point crowned = position == null ? null : points.get(position);
            int index = evaluationIndex.getOrDefault(step.evaluationId(), 0);
            if (position != null) {
                required.set(position);
            }
            championViews.add(new Views.ChampionPointView(index, step.proposalId(), step.value(),
                    crowned == null ? null : crowned.ciLow(), crowned == null ? null : crowned.ciHigh(),
                    step.sequence()));
        }
        int[] kept = Downsampling.keep(values, required, maxPoints);
        List<Views.ChartPointView> pointViews = new ArrayList<>(kept.length);
        for (int position : kept) {
            Point p = points.get(position);
            pointViews.add(new Views.ChartPointView(p.index(), p.proposalId(), p.value(), p.ciLow(), p.ciHigh(),
                    WireNames.of(p.verdict()), parameters.getOrDefault(p.proposalId(), Map.of())));
        }
        Map<String, Integer> states = new LinkedHashMap<>();
        states.put("waiting", waiting.size());
        states.put("running", running);
        states.put("completed", completed);
        states.put("failed", failed);
        Map<String, Integer> reasons = new LinkedHashMap<>();
        failures.forEach((reason, count) -> reasons.put(WireNames.of(reason), count));
        return new Views.StudyChartsView(studyId, sequence,
                spec == null ? null : spec.objective().metric(),
                spec == null ? null : WireNames.of(spec.objective().direction()),
                evaluations, points.size() - kept.length, pointViews, championViews, states, reasons, axes());
    }

    private List<Views.ParameterAxisView> axes() {
        if (spec == null) {
            return List.of();
        }
        return spec.searchSpace().parameters().stream().map(p -> new Views.ParameterAxisView(p.name(),
                WireNames.of(p.kind()), p.low(), p.high(), p.choices())).toList();
    }
}
