package dev.seedloop.learner.domain;

import java.util.UUID;

import dev.seedloop.events.Objective;

/**
 * What {@link StrategyFold} reads of a study as it was before an event: a frozen {@link StudyState} on the
 * live path, the working {@link StudyState.Builder} of a {@link LearnerFold} on replay.
 */
interface StudyBefore {

    /** The proposal's lineage, or null if its ProposalCreated was not folded yet. */
    Lineage lineageOf(UUID proposalId);

    Double bestValue();

    Objective objective();

    long seed();
}
