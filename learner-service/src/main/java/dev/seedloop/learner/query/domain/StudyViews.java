package dev.seedloop.learner.query.domain;

import java.util.ArrayList;
import java.util.List;

import dev.seedloop.events.ModelBudget;
import dev.seedloop.learner.domain.ChampionEntry;
import dev.seedloop.learner.domain.Evidence;
import dev.seedloop.learner.domain.ForkOrigin;
import dev.seedloop.learner.domain.ModelSpend;
import dev.seedloop.learner.domain.StudyState;
import dev.seedloop.learner.domain.WireNames;
import dev.seedloop.queries.Views;

/**
 * The views of one study, computed from its folded state alone, so what a query answers is exactly what
 * the learner decides with. {@code lastSequence} is the count of events folded: the store numbers a
 * study's distinct events 1, 2, ... in the order the learner folds them, so the two agree.
 */
public final class StudyViews {

    private StudyViews() {
    }

    /** @throws IllegalArgumentException for a study whose StudyCreated was not seen */
    public static Views.StudyView study(StudyState s) {
        requireCreated(s);
        var budget = new Views.BudgetView(s.budget().maxExperiments(), s.budgetUsed(), s.remainingBudget(),
                s.budget().parallelism());
        ChampionEntry c = s.champion();
        Views.ChampionView champion = c == null ? null
                : new Views.ChampionView(c.proposalId(), c.evaluationId(), c.value(), c.at(), evidence(c.evidence()),
                        c.approvedBy());
        List<Views.CandidateView> pending = s.pendingApprovals().stream()
                .map(p -> new Views.CandidateView(p.proposalId(), p.evaluationId(), p.value(), p.requestedAt(),
                        p.comparedWith()))
                .toList();
        List<Views.ControlView> controls = s.controls().stream()
                .map(k -> new Views.ControlView(WireNames.of(k.action()), k.by(), k.reason(), k.at()))
                .toList();
        return new Views.StudyView(s.studyId(), s.team(), s.name(), WireNames.of(s.status()), s.startedAt(),
                s.createdBy(), s.strategy(), WireNames.of(promotion(s)), s.objective().metric(),
                WireNames.of(s.objective().direction()), budget, champion, pending, s.proposals(),
                s.experimentsCompleted(), s.experimentsFailed(), s.evaluations(), s.eventsApplied(),
                s.completionReason(), controls, origin(s.origin()), modelSpend(s));
    }

    /**
     * The study's model spend; null for a study that made no call and has no model budget. The projection is the
     * billed cost per experiment resolved so far times the experiments the budget allows: null before the first
     * billed call, and while no experiment is resolved (nothing to divide by yet).
     */
    public static Views.ModelSpendView modelSpend(StudyState s) {
        ModelSpend spend = s.modelSpend();
        ModelBudget cap = s.budget() == null ? null : s.budget().model();
        if (spend.calls() == 0 && cap == null) {
            return null;
        }
        Double projected = spend.billedCalls() == 0 || s.budgetUsed() == 0 ? null
                : spend.costUsd() / s.budgetUsed() * s.budget().maxExperiments();
        return new Views.ModelSpendView(spend.calls(), spend.failedCalls(), spend.replayedCalls(), spend.tokensIn(),
                spend.tokensOut(), spend.costUsd(), cap == null ? null : cap.maxCalls(),
                cap == null ? null : cap.maxTokens(), cap == null ? null : cap.maxCostUsd(), projected);
    }

    public static Views.OriginView origin(ForkOrigin o) {
        return o == null ? null : new Views.OriginView(o.studyId(), o.atSequence(), o.championProposalId(),
                o.championValue(), o.inherited(), o.omitted());
    }

    /**
     * Champion history, oldest first, and every proposal of the parent tree in arrival order (a fork's
     * inherited proposals first).
     */
    public static Views.LineageView lineage(StudyState s) {
        return lineage(s, 0, Integer.MAX_VALUE);
    }

    /** {@link #lineage(StudyState)} with the nodes {@code offset .. offset + limit - 1} only. */
    public static Views.LineageView lineage(StudyState s, int offset, int limit) {
        requireCreated(s);
        List<Views.ChampionStepView> steps = new ArrayList<>(s.championHistory().size());
        for (ChampionEntry c : s.championHistory()) {
            steps.add(new Views.ChampionStepView(c.proposalId(), c.previousProposalId(), c.value(), c.at(),
                    c.approvedBy()));
        }
        List<Views.LineageNodeView> nodes = s.lineage().values().stream()
                .skip(offset)
                .limit(limit)
                .map(l -> new Views.LineageNodeView(l.proposalId(), l.parents(), l.operator(), WireNames.of(l.verdict()),
                        l.value(), l.inheritedFrom()))
                .toList();
        return new Views.LineageView(steps, nodes, origin(s.origin()), offset, s.lineage().size());
    }

    private static Views.EvidenceView evidence(Evidence e) {
        return e == null ? null : new Views.EvidenceView(e.reason(), e.mean(), e.ciLow(), e.ciHigh(), e.repeats(),
                e.pValue(), e.validationPassed(), e.heldOutValue());
    }

    private static dev.seedloop.events.PromotionPolicy promotion(StudyState s) {
        return s.promotion() == null ? dev.seedloop.events.PromotionPolicy.AUTO : s.promotion();
    }

    private static void requireCreated(StudyState s) {
        if (s.createdEventId() == null) {
            throw new IllegalArgumentException("study " + s.studyId() + " has no StudyCreated yet");
        }
    }
}
