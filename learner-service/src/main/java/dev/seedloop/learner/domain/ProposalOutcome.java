package dev.seedloop.learner.domain;

/**
 * What one proposal of a study cost and, for a study whose strategy is {@code llm}, what its code did: the model
 * calls made for it and their price as the calls state it ({@code costUsd}, replayed ones included: what the arm's
 * yield is measured against; what was billed is the study's {@link ModelSpend}), the tree its experiment ran ({@code
 * ExperimentStarted}/{@code Completed}), the tail of its output (capped at the study's {@code output-chars}) and why
 * it has no value ({@code failure}: the experiment's failure reason and detail, its failed validation, or an invalid
 * evaluation's reason, capped). Null where not known (yet).
 *
 * <p>{@code ordinal} and {@code operator} are its calls' ({@code -1} and null before a call); {@code refusal} says why
 * the proposer refused the answer (ProposalRejected of an llm study, capped), so the next prompts can show the model
 * what it got wrong although nothing ran.
 */
public record ProposalOutcome(int calls, double costUsd, String tree, String output, String failure, int ordinal,
                              String operator, String refusal) {

    public static final ProposalOutcome NONE = new ProposalOutcome(0, 0.0, null, null, null, -1, null, null);

    ProposalOutcome withCall(double price, int callOrdinal, String callOperator) {
        return new ProposalOutcome(calls + 1, costUsd + price, tree, output, failure, callOrdinal, callOperator,
                refusal);
    }

    ProposalOutcome ran(String ranTree, String ranOutput, String ranFailure) {
        return new ProposalOutcome(calls, costUsd, ranTree == null ? tree : ranTree,
                ranOutput == null ? output : ranOutput, ranFailure, ordinal, operator, refusal);
    }

    ProposalOutcome failedIfUnexplained(String why) {
        return failure != null ? this
                : new ProposalOutcome(calls, costUsd, tree, output, why, ordinal, operator, refusal);
    }

    ProposalOutcome refused(String why) {
        return new ProposalOutcome(calls, costUsd, tree, output, failure, ordinal, operator, why);
    }
}
