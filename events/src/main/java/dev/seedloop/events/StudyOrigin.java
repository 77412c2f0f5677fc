package dev.seedloop.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where a forked study starts: the source study, the point in its log ({@code atSequence}, the source's study
 * sequence) and what the source had learned by then, copied into the fork's first event so the fork is
 * self-contained (it replays, exports and imports without its source).
 *
 * <p>{@code proposals} are the source's evaluated proposals up to that point, oldest first, at most
 * {@link #MAX_INHERITED} of the latest ({@code proposalsOmitted} counts the older ones left out); they are the
 * fork's shared lineage and its strategy's starting history. {@code championProposalId} and
 * {@code championValue} are the source's champion at that point, for the record: the fork's evaluator may
 * differ, so the fork establishes its own champion by its own evaluations.
 */
public record StudyOrigin(String studyId, long atSequence, @Nullable UUID championProposalId,
                          @Nullable Double championValue, List<Proposal> proposals, int proposalsOmitted) {

    /** The most proposals a fork inherits: as many as the learner ever shares with a strategy. */
    public static final int MAX_INHERITED = 500;

    public StudyOrigin {
        Checks.notBlank(studyId, "studyId");
        Checks.atLeast(atSequence, 1, "atSequence");
        proposals = Checks.list(proposals, "proposals");
        Checks.atLeast(proposalsOmitted, 0, "proposalsOmitted");
        if (proposals.size() > MAX_INHERITED) {
            throw new IllegalArgumentException("at most " + MAX_INHERITED + " inherited proposals, got "
                    + proposals.size());
        }
        if (championValue != null && !Double.isFinite(championValue)) {
            throw new IllegalArgumentException("championValue must be finite but was " + championValue);
        }
    }

    /**
     * One evaluated proposal of the source: its point, how it was made, and its verdict and value there
     * ({@code value} null when the evaluation found it invalid). {@code tree} is the code its experiment ran, for a
     * proposal of code (an llm study's): what a fork's proposals that build on it edit (null for a parameter
     * proposal, and in forks recorded before it was added).
     */
    public record Proposal(UUID proposalId, int ordinal, String operator, List<UUID> parents,
                           Map<String, Object> parameters, Verdict verdict, @Nullable Double value,
                           @Nullable String tree) {

        /** A parameter proposal: no code of its own. */
        public Proposal(UUID proposalId, int ordinal, String operator, List<UUID> parents,
                        Map<String, Object> parameters, Verdict verdict, Double value) {
            this(proposalId, ordinal, operator, parents, parameters, verdict, value, null);
        }

        public Proposal {
            Checks.notNull(proposalId, "proposalId");
            Checks.atLeast(ordinal, 0, "ordinal");
            Checks.notBlank(operator, "operator");
            parents = Checks.list(parents, "parents");
            parameters = Checks.orderedMap(parameters, "parameters");
            Checks.notNull(verdict, "verdict");
            if (value != null && !Double.isFinite(value)) {
                throw new IllegalArgumentException("value must be finite but was " + value);
            }
        }

        /** As the proposer's strategies and the learner's history see it (with its code and parents when it has code). */
        public Observation observation() {
            return tree == null ? new Observation(proposalId, ordinal, operator, parameters, value)
                    : new Observation(proposalId, ordinal, operator, parameters, value, tree, parents, null, null);
        }
    }
}
