package dev.seedloop.cli.watch;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ModelBudget;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.queries.Views.CandidateView;
import dev.seedloop.queries.Views.ChampionStepView;
import dev.seedloop.queries.Views.ModelSpendView;
import dev.seedloop.queries.Views.StudyView;

/**
 * What a person watching a study wants to see, folded from its events in order: experiments done against
 * the budget, the best value so far, how often the champion changed, candidates waiting for approval, what its
 * language-model calls cost (llm studies), and how it ended. Mutable and single-threaded: it belongs to one watcher.
 *
 * <p>It starts either empty, to fold a study from its first event, or from the study's read model
 * ({@link #resumedFrom}), to fold only the events after the view's {@code lastSequence}.
 */
public final class StudyProgress {

    private StudyCreated spec;
    // Kept apart from spec: a progress resumed from a view never sees StudyCreated but still shows these.
    private String metric = "value";
    private int maxExperiments;
    // Experiments finished by the implementer (completed or failed) and evaluations are two counts of the same
    // experiments arriving on different topics in no fixed order; the larger is the one known to be done, as the
    // learner counts its budget (StudyState.budgetUsed). The learner ends a study on the evaluation that spends the
    // budget, and the experiment's own completion may be stored after the end, where no watch reads it.
    private int experimentsDone;
    private int evaluations;
    private int experimentsFailed;
    private int championChanges;
    private Double best;
    private UUID championProposalId;
    private StudyCompleted completed;
    private boolean ended;
    private boolean halted;
    private boolean paused;
    private final Map<UUID, ProposalCreated> proposals = new HashMap<>();
    private final Map<UUID, ExperimentCompleted> outcomes = new HashMap<>();
    private final Set<UUID> evaluated = new HashSet<>();
    private final Map<UUID, Double> pendingApprovals = new LinkedHashMap<>();
    // Language-model spend (llm studies), folded as the learner folds it: a replayed call bills nothing.
    private ModelBudget modelCaps;
    private long modelCalls;
    private long failedModelCalls;
    private long replayedModelCalls;
    private long tokensIn;
    private long tokensOut;
    private double costUsd;

    /**
     * The progress the study had at {@code view.lastSequence()}, for a watch that follows only the events
     * after it. The fold's per-proposal details (proposal numbers and operators, the outcomes behind the
     * counts, {@link #spec()}) are not in the view, so they stay unknown for what happened before.
     *
     * @param championHistory the lineage's champion steps, oldest first. It is read after the view and may
     *                        already hold later champions, which the stream will deliver again: only the
     *                        steps up to the view's champion count, so none is counted twice.
     */
    public static StudyProgress resumedFrom(StudyView view, List<ChampionStepView> championHistory) {
        StudyProgress progress = new StudyProgress();
        if (view.metric() != null) {
            progress.metric = view.metric();
        }
        progress.maxExperiments = view.budget() == null ? 0 : view.budget().maxExperiments();
        // The same sum the fold counts: every completed or failed experiment is one done.
        progress.experimentsDone = view.experimentsCompleted() + view.experimentsFailed();
        progress.evaluations = view.evaluations();
        progress.experimentsFailed = view.experimentsFailed();
        if (view.champion() != null) {
            progress.championProposalId = view.champion().proposalId();
            progress.best = view.champion().value();
            int steps = 0;
            for (int i = 0; i < championHistory.size(); i++) {
                if (championHistory.get(i).proposalId().equals(progress.championProposalId)) {
                    steps = i + 1;
                }
            }
            // Not found would mean a lineage older than the view (another replica): its whole history is
            // then the best count there is.
            progress.championChanges = steps == 0 ? championHistory.size() : steps;
        }
        if (view.pendingApprovals() != null) {
            for (CandidateView candidate : view.pendingApprovals()) {
                progress.pendingApprovals.put(candidate.proposalId(), candidate.value());
            }
        }
        progress.paused = "paused".equals(view.status());
        ModelSpendView spend = view.modelSpend();
        if (spend != null) {
            progress.modelCalls = spend.calls();
            progress.failedModelCalls = spend.failedCalls();
            progress.replayedModelCalls = spend.replayedCalls();
            progress.tokensIn = spend.tokensIn();
            progress.tokensOut = spend.tokensOut();
            progress.costUsd = spend.costUsd();
            if (spend.maxCalls() != null || spend.maxTokens() != null || spend.maxCostUsd() != null) {
                progress.modelCaps = new ModelBudget(spend.maxCalls(), spend.maxTokens(), spend.maxCostUsd());
            }
        }
        return progress;
    }

    public void apply(EventEnvelope event) {
        switch (event.payload()) {
            case StudyCreated created -> {
                spec = created;
                metric = created.objective().metric();
                maxExperiments = created.budget().maxExperiments();
                modelCaps = created.budget().model();
            }
            case ModelCallCompleted call -> {
                modelCalls++;
                failedModelCalls += call.answered() ? 0 : 1;
                replayedModelCalls += call.replayed() ? 1 : 0;
                if (!call.replayed()) {
                    tokensIn += call.tokensIn();
                    tokensOut += call.tokensOut();
                    costUsd += call.costUsd();
                }
            }
            case ProposalCreated proposal -> proposals.put(proposal.proposalId(), proposal);
            case ExperimentCompleted done -> {
                // At-least-once delivery: a repeated completion of the same proposal is one experiment.
                if (outcomes.put(done.proposalId(), done) == null) {
                    experimentsDone++;
                }
            }
            case ExperimentFailed failed -> {
                experimentsDone++;
                experimentsFailed++;
            }
            case EvaluationCompleted evaluation -> {
                if (evaluated.add(evaluation.proposalId())) {
                    evaluations++;
                }
            }
            case ChampionChanged champion -> {
                pendingApprovals.remove(champion.proposalId());
                if (!champion.proposalId().equals(championProposalId)) {
                    championChanges++;
                    championProposalId = champion.proposalId();
                    best = champion.value();
                }
            }
            case PromotionRequested request -> pendingApprovals.put(request.proposalId(), request.value());
            case PromotionApproved approved -> pendingApprovals.remove(approved.proposalId());
            case PromotionRejected rejected -> pendingApprovals.remove(rejected.proposalId());
            case StudyPaused pause -> paused = true;
            case StudyResumed resume -> paused = false;
            case StudyCompleted end -> {
                completed = end;
                // What the learner counted when it ended the study is at least what this fold saw.
                experimentsDone = Math.max(experimentsDone, end.experimentsRun());
                ended = true;
            }
            case StudyHalted stop -> {
                halted = true;
                ended = true;
            }
            default -> {
                // not shown
            }
        }
    }

    /**
     * An event whose payload this client cannot decode (a newer version than it knows): only its type is
     * known, which is still enough to notice that the study ended.
     */
    public void applyUndecodable(String type) {
        if (EventTypes.STUDY_COMPLETED.equals(type)) {
            ended = true;
        } else if (EventTypes.STUDY_HALTED.equals(type)) {
            ended = true;
            halted = true;
        }
    }

    public boolean finished() {
        return ended;
    }

    public boolean halted() {
        return halted;
    }

    /** The completion, null while running, when halted, or when its payload could not be decoded. */
    public StudyCompleted completed() {
        return completed;
    }

    /** The study's definition, null until its first event was seen (so always for {@link #resumedFrom}). */
    public StudyCreated spec() {
        return spec;
    }

    public Double best() {
        return best;
    }

    public UUID championProposalId() {
        return championProposalId;
    }

    public ProposalCreated proposal(UUID proposalId) {
        return proposals.get(proposalId);
    }

    public ExperimentCompleted outcome(UUID proposalId) {
        return outcomes.get(proposalId);
    }

    /** Candidate to its metric value, oldest request first. */
    public Map<UUID, Double> pendingApprovals() {
        return Collections.unmodifiableMap(pendingApprovals);
    }

    public String metric() {
        return metric;
    }

    /** Experiments known to be done: the larger of the implementer's and the evaluator's counts. */
    public int experimentsDone() {
        return Math.max(experimentsDone, evaluations);
    }

    /**
     * The study's model spend so far, null for a study without calls or a model budget. The projection is the one the
     * learner's view gives: the billed cost per experiment done times the experiments the budget allows.
     */
    public ModelSpendView modelSpend() {
        if (modelCalls == 0 && modelCaps == null) {
            return null;
        }
        int done = experimentsDone();
        boolean billed = modelCalls > replayedModelCalls;
        Double projected = !billed || done == 0 || maxExperiments == 0 ? null : costUsd / done * maxExperiments;
        return new ModelSpendView(modelCalls, failedModelCalls, replayedModelCalls, tokensIn, tokensOut, costUsd,
                modelCaps == null ? null : modelCaps.maxCalls(), modelCaps == null ? null : modelCaps.maxTokens(),
                modelCaps == null ? null : modelCaps.maxCostUsd(), projected);
    }

    /** The one-line summary shown live, e.g. {@code experiments 12/32 | best excess_pct 0.4120 | champion changes 3}. */
    public String line() {
        ModelSpendView spend = modelSpend();
        return String.format(Locale.ROOT, "experiments %d/%d%s | best %s %s | champion changes %d%s%s%s",
                experimentsDone(), maxExperiments, experimentsFailed == 0 ? "" : " (" + experimentsFailed + " failed)", metric(),
                best == null ? "-" : String.format(Locale.ROOT, "%.4f", best), championChanges,
                pendingApprovals.isEmpty() ? "" : " | pending approvals " + pendingApprovals.size(),
                spend == null ? "" : " | model: " + ModelSpendText.of(spend),
                paused && !ended ? " | paused" : "");
    }
}
