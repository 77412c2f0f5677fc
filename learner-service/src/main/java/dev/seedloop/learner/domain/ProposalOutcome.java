package dev.seedloop.learner.domain;

/**
 * What one proposal of a study cost and, for a study whose strategy is {@code llm}, what its code did: the model
 * calls made for it and their billed cost (replayed calls bill nothing), the tree its experiment ran ({@code
 * ExperimentStarted}/{@code Completed}), the tail of its output (capped at the study's {@code output-chars}) and why
 * it has no value ({@code failure}: the experiment's failure reason and detail, its failed validation, or an invalid
 * evaluation's reason, capped). Null where not known (yet).
 */
public record ProposalOutcome(int calls, double costUsd, String tree, String output, String failure) {

    public static final ProposalOutcome NONE = new ProposalOutcome(0, 0.0, null, null, null);

    ProposalOutcome withCall(double billedCost) {
        return new ProposalOutcome(calls + 1, costUsd + billedCost, tree, output, failure);
    }

    ProposalOutcome ran(String ranTree, String ranOutput, String ranFailure) {
        return new ProposalOutcome(calls, costUsd, ranTree == null ? tree : ranTree,
                ranOutput == null ? output : ranOutput, ranFailure);
    }

    ProposalOutcome failedIfUnexplained(String why) {
        return failure != null ? this : new ProposalOutcome(calls, costUsd, tree, output, why);
    }
}
