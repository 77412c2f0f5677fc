package dev.seedloop.proposer.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.FilePatch;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;

/**
 * Makes the proposals the learner asks for (a StrategyUpdated: how many, from which ordinal, from which history; a
 * study's first batch too, ADR 0021: StudyCreated only tells the proposer the spec). Pure and deterministic: a
 * proposal's id derives from its study and ordinal, so whatever redelivery or retry asks for ordinal n again gets the
 * same proposal id (consumers downstream deduplicate), and its point depends only on the study, the ordinal and the
 * history the learner sent with the request.
 */
public final class Proposer {

    private Proposer() {
    }

    /** The learner asked for more: propose them from the history it chose to send. */
    public static List<EventEnvelope> onStrategyUpdated(EventEnvelope cause, StrategyUpdated update, StudyCreated study,
            Instant now) {
        if (update.proposalsRequested() == 0) {
            return List.of();
        }
        return propose(cause, study, updateInput(study, update), update.proposalsRequested(), now);
    }

    /**
     * What a strategy sees for a learner's request: the history and operator weights it sent, less the inherited
     * points a fork's changed search space no longer holds (the learner keeps them: they are the fork's lineage).
     */
    static StrategyInput updateInput(StudyCreated study, StrategyUpdated update) {
        Set<UUID> outsideTheSpace = study.origin() == null ? Set.of() : study.origin().proposals().stream()
                .filter(p -> !study.searchSpace().admits(p.parameters()))
                .map(StudyOrigin.Proposal::proposalId)
                .collect(Collectors.toSet());
        List<Observation> history = update.observations().stream()
                .filter(o -> !outsideTheSpace.contains(o.proposalId()))
                .map(o -> new Observation(o.proposalId(), o.parameters(), o.value(), o.operator()))
                .toList();
        return new StrategyInput(study.searchSpace(), study.objective().direction(), study.seed(),
                update.nextOrdinal(), history, update.operatorWeights(), study.strategyOptions());
    }

    /**
     * The proposals a learner's request calls for, less those {@code wanted} rejects by ordinal (those already made).
     * The strategy still sees the whole request, so each proposal is the one the whole batch would have held.
     *
     * @param study the study's spec
     */
    public static List<EventEnvelope> proposalsFor(EventEnvelope request, StudyCreated study, Instant now,
            IntPredicate wanted) {
        if (!(request.payload() instanceof StrategyUpdated update) || update.proposalsRequested() == 0) {
            return List.of();
        }
        return propose(request, study, updateInput(study, update), update.proposalsRequested(), now,
                Strategies.byName(study.strategy()), wanted);
    }

    /** The id of a study's proposal number {@code ordinal}: the same whoever asks, however often. */
    public static UUID proposalId(EventEnvelope anyEventOfTheStudy, int ordinal) {
        return EventIds.derived(anyEventOfTheStudy.correlationId(), "proposal:" + ordinal);
    }

    private static List<EventEnvelope> propose(EventEnvelope cause, StudyCreated study, StrategyInput input, int count,
            Instant now) {
        return propose(cause, study, input, count, now, Strategies.byName(study.strategy()));
    }

    /**
     * The candidates as events: ProposalCreated, or ProposalRejected for one whose patch set would
     * write or delete a protected path (the evaluator and the tests must stay what the study says).
     */
    static List<EventEnvelope> propose(EventEnvelope cause, StudyCreated study, StrategyInput input, int count,
            Instant now, Strategy strategy) {
        return propose(cause, study, input, count, now, strategy, ordinal -> true);
    }

    private static List<EventEnvelope> propose(EventEnvelope cause, StudyCreated study, StrategyInput input, int count,
            Instant now, Strategy strategy, IntPredicate wanted) {
        List<Candidate> candidates = strategy.propose(input, count);
        List<EventEnvelope> proposals = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            if (!wanted.test(candidate.ordinal())) {
                continue;
            }
            UUID proposalId = proposalId(cause, candidate.ordinal());
            List<String> violations = protectedPathsTouched(candidate.patches(), study.protectedPaths());
            EventPayload payload = violations.isEmpty()
                    ? new ProposalCreated(proposalId, candidate.ordinal(), strategy.name(), candidate.operator(),
                            candidate.parameters(), candidate.parents(), candidate.patches(), parentTree(study))
                    : new ProposalRejected(proposalId, "the patch set touches protected paths", violations);
            proposals.add(cause.caused(EventIds.derived(proposalId, "event"), now, Services.PROPOSER, payload));
        }
        return proposals;
    }

    /**
     * The tree a proposal's patches apply to: the study's uploaded workspace (strategies derive patches from it, not
     * from a parent's code yet), so every proposal's code has a lineage; null for a study from before uploads.
     */
    static String parentTree(StudyCreated study) {
        return study.workspace() == null ? null : study.workspace().tree();
    }

    /** Every patched path that is, or lies under, a protected path; sorted, without repeats. */
    public static List<String> protectedPathsTouched(List<FilePatch> patches, List<String> protectedPaths) {
        return patches.stream()
                .filter(patch -> protectedPaths.stream().anyMatch(patch::touches))
                .map(FilePatch::path)
                .distinct()
                .sorted()
                .toList();
    }
}
