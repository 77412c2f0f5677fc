package dev.seedloop.learner.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.Observation;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyOrigin;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.TeamQuotaSet;
import dev.seedloop.events.TeamStreams;
import dev.seedloop.events.Verdict;

/**
 * The study projection: {@code evolve} is total over every event type and idempotent per event
 * id, so the learner can rebuild a study from its stored log at any time and get what it had live.
 *
 * <p>Champions: under AUTO promotion an evaluation with verdict NEW_CHAMPION crowns its proposal at
 * once (the evaluator's ChampionChanged follows and changes nothing). Under MANUAL promotion the same
 * verdict only makes a {@link Candidate}; the champion changes when ChampionChanged arrives, which the
 * evaluator sends after a PromotionApproved (its causation), so the approver is known. Team-stream events
 * ({@link TeamStreams}) belong to no study and leave the state untouched.
 */
public final class StudyFold {

    private StudyFold() {
    }

    /** Folds a sequence of events from {@link StudyState#EMPTY}. */
    public static StudyState replay(Iterable<EventEnvelope> events) {
        StudyState.Builder b = StudyState.EMPTY.toBuilder();
        for (EventEnvelope e : events) {
            apply(b, e);
        }
        return b.build();
    }

    public static StudyState evolve(StudyState state, EventEnvelope event) {
        // Checked before the copy: a redelivery costs a lookup, not a copy of the study.
        if (ignores(state.hasSeen(event.eventId()), event)) {
            return state;
        }
        StudyState.Builder b = state.toBuilder();
        apply(b, event);
        return b.build();
    }

    /** Whether the fold leaves the state as it is: a redelivery, or an event of a team stream. */
    static boolean ignores(boolean seen, EventEnvelope event) {
        return seen || TeamStreams.isTeamStream(event.studyId());
    }

    /** Folds one event into a working state; returns false when it {@link #ignores ignores} it. */
    static boolean apply(StudyState.Builder b, EventEnvelope event) {
        if (ignores(b.hasSeen(event.eventId()), event)) {
            return false;
        }
        b.seenEventIds.add(event.eventId());
        b.eventsApplied++;
        if (b.studyId == null) {
            b.studyId = event.studyId();
        }
        switch (event.payload()) {
            case StudyCreated c -> {
                // A second StudyCreated would be a gateway bug; the first one fixed the spec.
                if (b.createdEventId == null) {
                    b.createdEventId = event.eventId();
                    b.objective = c.objective();
                    b.budget = c.budget();
                    b.strategy = c.strategy();
                    b.seed = c.seed();
                    b.startedAt = event.occurredAt();
                    b.team = event.team();
                    b.name = c.name();
                    b.createdBy = c.createdBy();
                    b.promotion = c.promotion();
                    // The learner asks for the first batch itself (ADR 0021); proposals folded before their
                    // StudyCreated come from a log where the proposer made it on StudyCreated by its own rule.
                    if (b.proposals + b.proposalsRejected > 0) {
                        firstBatchMadeOnCreation(b);
                    }
                    if (c.origin() != null) {
                        inherit(b, c.origin());
                    }
                    if (b.status == StudyStatus.NEW) {
                        b.status = StudyStatus.CREATED;
                    }
                }
            }
            case StudyPaused p -> {
                control(b, event, ControlAction.PAUSED, p.by(), p.reason(), null);
                if (b.status == StudyStatus.CREATED || b.status == StudyStatus.RUNNING) {
                    b.status = StudyStatus.PAUSED;
                }
            }
            case StudyResumed r -> {
                control(b, event, ControlAction.RESUMED, r.by(), null, null);
                if (b.status == StudyStatus.PAUSED) {
                    b.status = StudyStatus.RUNNING;
                    b.resumes++;
                }
            }
            case StudyHalted h -> {
                control(b, event, ControlAction.HALTED, h.by(), h.reason(), null);
                if (!b.status.isTerminal()) {
                    b.status = StudyStatus.HALTED;
                }
            }
            case StudyCompleted c -> {
                if (!b.status.isTerminal()) {
                    b.status = StudyStatus.COMPLETED;
                    b.completionReason = c.reason();
                }
            }
            case ProposalCreated p -> {
                b.proposals++;
                b.lineage.putIfAbsent(p.proposalId(), new Lineage(p.proposalId(), p.ordinal(), p.operator(),
                        sharedParents(b, p.parents()), p.parameters()));
                markRunning(b);
                if (causedByTheCreation(b, event)) {
                    firstBatchMadeOnCreation(b);
                }
                ResolvedOrdinals.Result early = b.resolvedOrdinals.unplaced().get(p.proposalId());
                if (early == null) {
                    b.inFlight.add(p.proposalId());
                } else {
                    // Its evaluation came first: the proposal is evaluated already, and its ordinal resolved now.
                    b.resolvedOrdinals = b.resolvedOrdinals.placed(p.proposalId());
                    Lineage made = b.lineage.get(p.proposalId());
                    if (made != null && made.verdict() == null) {
                        b.lineage.put(p.proposalId(), made.evaluated(early.verdict(), early.value()));
                    }
                    resolve(b, p.proposalId(), event);
                }
            }
            case ProposalRejected r -> {
                b.proposalsRejected++;
                b.inFlight.remove(r.proposalId());
                if (causedByTheCreation(b, event)) {
                    firstBatchMadeOnCreation(b);
                }
                resolve(b, r.proposalId(), event);
            }
            case ExperimentStarted s -> {
                b.experimentsStarted++;
                markRunning(b);
            }
            case ExperimentCompleted c -> b.experimentsCompleted++;
            case ExperimentFailed f -> b.experimentsFailed++;
            case EvaluationCompleted e -> onEvaluation(b, event, e);
            case ChampionChanged c -> crown(b, new ChampionEntry(c.proposalId(), c.evaluationId(), c.value(),
                    b.eventsApplied, c.previousProposalId(), event.occurredAt(), evidenceOf(b, c.evaluationId()),
                    event.causationId(), approverOf(b, event.causationId())));
            case PromotionRequested r -> {
                if (b.pendingApprovals.stream().noneMatch(p -> p.proposalId().equals(r.proposalId()))
                        && !isChampion(b, r.evaluationId())) {
                    b.pendingApprovals = with(b.pendingApprovals, new PendingApproval(r.proposalId(), r.evaluationId(),
                            r.value(), event.occurredAt(), r.currentChampionId()));
                }
            }
            case PromotionApproved a -> {
                control(b, event, ControlAction.APPROVED, a.by(), a.reason(), a.proposalId());
                b.pendingApprovals = without(b.pendingApprovals, p -> p.proposalId().equals(a.proposalId()));
                nameApprover(b, event.eventId(), a.by());
            }
            case PromotionRejected r -> {
                control(b, event, ControlAction.REJECTED, r.by(), r.reason(), r.proposalId());
                b.pendingApprovals = without(b.pendingApprovals, p -> p.proposalId().equals(r.proposalId()));
                b.candidates = without(b.candidates, c -> c.proposalId().equals(r.proposalId()));
            }
            case TeamQuotaSet q -> {
                // Belongs to a team stream, which returned above; one filed under a study only counts.
            }
            case StrategyUpdated u -> {
                b.strategyRevision = Math.max(b.strategyRevision, u.revision());
                // Requests name their ordinals, so the count of ordinals asked for is order-insensitive.
                b.proposalsRequested = Math.max(b.proposalsRequested, u.nextOrdinal() + u.proposalsRequested());
            }
        }
        return true;
    }

    private static boolean causedByTheCreation(StudyState.Builder b, EventEnvelope event) {
        return b.createdEventId != null && b.createdEventId.equals(event.causationId());
    }

    /**
     * A log from before ADR 0021: the proposer made the study's first batch on StudyCreated by its own rule,
     * {@code min(parallelism, maxExperiments)} from ordinal 0, with no StrategyUpdated asking for it. Recognised from
     * the log itself (a proposal caused by the StudyCreated, or folded before it), it counts as requested, so such a
     * log replays to the state it always did.
     */
    private static void firstBatchMadeOnCreation(StudyState.Builder b) {
        b.proposalsRequested = Math.max(b.proposalsRequested,
                Math.min(b.budget.parallelism(), b.budget.maxExperiments()));
    }

    /**
     * The proposal's ordinal is resolved (evaluated or rejected). Its ordinal is in the lineage once its ProposalCreated
     * is folded (an evaluation that overtakes it waits in {@link ResolvedOrdinals#unplaced}); a rejected proposal has
     * none, so its ordinal is found by the proposer's id rule ({@code derived(correlation, "proposal:" + ordinal)}, the
     * correlation of the request, which every event it caused shares) among the ordinals asked for and unresolved.
     */
    private static void resolve(StudyState.Builder b, UUID proposalId, EventEnvelope event) {
        Lineage own = b.lineage.get(proposalId);
        if (own != null && own.inheritedFrom() == null) {
            b.resolvedOrdinals = b.resolvedOrdinals.with(own.ordinal());
            return;
        }
        for (int ordinal = b.resolvedOrdinals.below(); ordinal < b.proposalsRequested; ordinal++) {
            if (!b.resolvedOrdinals.contains(ordinal)
                    && EventIds.derived(event.correlationId(), "proposal:" + ordinal).equals(proposalId)) {
                b.resolvedOrdinals = b.resolvedOrdinals.with(ordinal);
                return;
            }
        }
    }

    /**
     * A fork knows what its source knew at the fork: the inherited proposals join the lineage (so the fork's
     * own proposals can name them as parents) and the history its strategy is sent.
     */
    private static void inherit(StudyState.Builder b, StudyOrigin origin) {
        b.origin = ForkOrigin.of(origin);
        for (StudyOrigin.Proposal p : origin.proposals()) {
            b.lineage.putIfAbsent(p.proposalId(), Lineage.inherited(p, origin.studyId()));
            b.observe(p.observation());
        }
    }

    /**
     * The parents as the lineage already holds them: the same ids, but the instances of their own entries, so
     * a study's lineage (kept for its whole life) stores each id once.
     */
    private static List<UUID> sharedParents(StudyState.Builder b, List<UUID> parents) {
        if (parents.isEmpty()) {
            return parents;
        }
        List<UUID> shared = new ArrayList<>(parents.size());
        for (UUID parent : parents) {
            Lineage known = b.lineage.get(parent);
            shared.add(known == null ? parent : known.proposalId());
        }
        return shared;
    }

    private static void markRunning(StudyState.Builder b) {
        if (b.status == StudyStatus.CREATED) {
            b.status = StudyStatus.RUNNING;
        }
    }

    private static void control(StudyState.Builder b, EventEnvelope event, ControlAction action, String by,
                                String reason, UUID proposalId) {
        b.controls = with(b.controls, new Control(action, by, reason, event.occurredAt(), event.eventId(), proposalId));
    }

    private static void onEvaluation(StudyState.Builder b, EventEnvelope event, EvaluationCompleted e) {
        b.evaluations++;
        b.inFlight.remove(e.proposalId());
        Double observed = e.verdict().disqualifies() || e.summary() == null ? null : e.summary().mean();
        Lineage made = b.lineage.get(e.proposalId());
        if (made == null) {
            b.resolvedOrdinals = b.resolvedOrdinals.waiting(e.proposalId(),
                    new ResolvedOrdinals.Result(e.verdict(), observed));
        } else {
            resolve(b, e.proposalId(), event);
        }
        if (made != null) {
            b.observe(new Observation(e.proposalId(), made.ordinal(), made.operator(), made.parameters(), observed));
            b.lineage.put(e.proposalId(), made.evaluated(e.verdict(), observed));
        }
        if (e.verdict().disqualifies() || e.summary() == null) {
            b.invalidEvaluations++;
            return;
        }
        double value = e.summary().mean();
        Lineage origin = b.lineage.get(e.proposalId());
        b.archive = admit(b.archive, new Elite(e.proposalId(), value, origin == null ? null : origin.operator(),
                b.eventsApplied), b.objective == null ? Direction.MINIMIZE : b.objective.direction());
        if (e.verdict() == Verdict.NEW_CHAMPION) {
            Evidence evidence = Evidence.of(e);
            if (b.promotion == PromotionPolicy.MANUAL) {
                if (!isChampion(b, e.evaluationId())) {
                    b.candidates = with(b.candidates, new Candidate(e.proposalId(), e.evaluationId(), evidence));
                }
                attachEvidence(b, e.evaluationId(), evidence);
            } else {
                // The evaluation arrives before its ChampionChanged; crowning here lets the learner
                // check the target on the evaluation itself.
                crown(b, new ChampionEntry(e.proposalId(), e.evaluationId(), value, b.eventsApplied,
                        b.championProposalId, event.occurredAt(), evidence, null, null));
            }
        }
    }

    private static void crown(StudyState.Builder b, ChampionEntry entry) {
        if (isChampion(b, entry.evaluationId())) {
            // A ChampionChanged that overtook its evaluation left the evidence out.
            attachEvidence(b, entry.evaluationId(), entry.evidence());
            return;
        }
        b.championProposalId = entry.proposalId();
        b.bestValue = entry.value();
        b.championHistory.add(entry);
        b.pendingApprovals = without(b.pendingApprovals, p -> p.proposalId().equals(entry.proposalId()));
        b.candidates = without(b.candidates, c -> c.evaluationId().equals(entry.evaluationId()));
    }

    private static boolean isChampion(StudyState.Builder b, UUID evaluationId) {
        for (ChampionEntry c : b.championHistory) {
            if (c.evaluationId().equals(evaluationId)) {
                return true;
            }
        }
        return false;
    }

    private static void attachEvidence(StudyState.Builder b, UUID evaluationId, Evidence evidence) {
        if (evidence == null) {
            return;
        }
        for (int i = 0; i < b.championHistory.size(); i++) {
            ChampionEntry c = b.championHistory.get(i);
            if (c.evaluationId().equals(evaluationId) && c.evidence() == null) {
                b.championHistory.set(i, c.withEvidence(evidence));
            }
        }
    }

    /**
     * The approval and the ChampionChanged it caused travel on different topics, so the learner may store
     * the champion first; the approval then names the approver of the champion its event caused.
     */
    private static void nameApprover(StudyState.Builder b, UUID approvalEventId, String approver) {
        for (int i = 0; i < b.championHistory.size(); i++) {
            ChampionEntry c = b.championHistory.get(i);
            if (approvalEventId.equals(c.causationId()) && c.approvedBy() == null) {
                b.championHistory.set(i, c.approvedBy(approver));
            }
        }
    }

    private static Evidence evidenceOf(StudyState.Builder b, UUID evaluationId) {
        for (Candidate c : b.candidates) {
            if (c.evaluationId().equals(evaluationId)) {
                return c.evidence();
            }
        }
        return null;
    }

    /** The approver whose PromotionApproved caused a ChampionChanged, or null if no approval did. */
    private static String approverOf(StudyState.Builder b, UUID causationId) {
        if (causationId == null) {
            return null;
        }
        for (Control c : b.controls) {
            if (c.action() == ControlAction.APPROVED && c.eventId().equals(causationId)) {
                return c.by();
            }
        }
        return null;
    }

    private static <T> List<T> with(List<T> list, T item) {
        List<T> next = new ArrayList<>(list.size() + 1);
        next.addAll(list);
        next.add(item);
        return next;
    }

    private static <T> List<T> without(List<T> list, java.util.function.Predicate<T> drop) {
        // Most events drop nothing: keep the shared list rather than copying it.
        return list.stream().anyMatch(drop) ? list.stream().filter(drop.negate()).toList() : list;
    }

    /** Top {@link StudyState#ARCHIVE_SIZE} by value; a re-evaluated proposal keeps only its latest value. */
    private static List<Elite> admit(List<Elite> archive, Elite candidate, Direction direction) {
        List<Elite> next = new ArrayList<>(archive.size() + 1);
        for (Elite e : archive) {
            if (!e.proposalId().equals(candidate.proposalId())) {
                next.add(e);
            }
        }
        next.add(candidate);
        Comparator<Elite> byValue = Comparator.comparingDouble(Elite::value);
        if (direction == Direction.MAXIMIZE) {
            byValue = byValue.reversed();
        }
        next.sort(byValue.thenComparingLong(Elite::sequence));
        return next.size() > StudyState.ARCHIVE_SIZE ? next.subList(0, StudyState.ARCHIVE_SIZE) : next;
    }
}
