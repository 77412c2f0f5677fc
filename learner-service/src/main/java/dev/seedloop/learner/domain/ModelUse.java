package dev.seedloop.learner.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.LlmOptions;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;

/**
 * What a study spent on language models and what its code proposals did: the study's {@link ModelSpend} (what its
 * caps are checked against) and, per proposal, a {@link ProposalOutcome}: the calls made for it and their billed
 * cost (any study that has calls), and for a study whose strategy is {@code llm} the tree its experiment ran, its
 * output and why it failed (what the requests' observations carry and the bandit weighs). Other studies keep it
 * {@link #EMPTY}, so their state, snapshots and requests are what they were.
 *
 * <p>Calls arrive on the proposals topic before their proposal (the proposer asks the model, then proposes), so a
 * proposal's cost is known when its evaluation is. The map is copied when an event changes it: it holds only the
 * proposals of llm studies, which propose at the pace of model calls.
 */
public record ModelUse(ModelSpend spend, Map<UUID, ProposalOutcome> proposals) {

    /** Longest failure text kept (a reason and its detail): enough to name what broke, small in every request. */
    public static final int FAILURE_CHARS = 500;

    public static final ModelUse EMPTY = new ModelUse(ModelSpend.NONE, Map.of());

    public ModelUse {
        proposals = Collections.unmodifiableMap(new LinkedHashMap<>(proposals));
    }

    /** Whether the study made any call or kept any outcome. */
    public boolean isEmpty() {
        return spend.calls() == 0 && proposals.isEmpty();
    }

    public ProposalOutcome of(UUID proposalId) {
        return proposals.getOrDefault(proposalId, ProposalOutcome.NONE);
    }

    /**
     * The model use after {@code event} (one the study has not seen, and not a second StudyCreated); the same
     * instance when it changes nothing. {@code spec} is the spec after the event: whether the study is an llm
     * study and how much output it keeps.
     */
    static ModelUse evolve(ModelUse u, EventEnvelope event, StudySpec spec) {
        if (event.payload() instanceof ModelCallCompleted c) {
            // The bandit weighs a call at its stated price even when it was replayed (and billed nothing), so a
            // same-seed copy answered from the record weighs its arms as the original did, once replayed calls state
            // the recorded call's price; spend and caps count only what was billed.
            return new ModelUse(u.spend.plus(c), u.with(c.proposalId(),
                    u.of(c.proposalId()).withCall(c.costUsd(), c.ordinal(), c.operator())));
        }
        LlmOptions llm = spec.llmOptions();
        if (llm == null) {
            return u;
        }
        return switch (event.payload()) {
            // A fork of an llm study knows the code its inherited proposals ran: its requests show it.
            case StudyCreated c when c.origin() != null -> inherit(u, c.origin());
            case ExperimentStarted s when s.tree() != null -> u.withOutcome(s.proposalId(),
                    u.of(s.proposalId()).ran(s.tree(), null, u.of(s.proposalId()).failure()));
            case ExperimentCompleted x -> u.withOutcome(x.proposalId(), u.of(x.proposalId()).ran(x.tree(),
                    tail(x.logTail(), llm.outputChars()),
                    x.validation() != null && !x.validation().passed()
                            ? capped("validation failed: " + x.validation().detail()) : null));
            case ExperimentFailed f -> u.withOutcome(f.proposalId(), u.of(f.proposalId()).ran(null,
                    tail(f.logTail(), llm.outputChars()),
                    capped(WireNames.of(f.reason()) + ": " + f.detail())));
            // Only a proposal the model was asked for: the refusal is what the model should hear about.
            case ProposalRejected r when u.of(r.proposalId()).operator() != null -> u.withOutcome(r.proposalId(),
                    u.of(r.proposalId()).refused(capped("refused: " + r.reason()
                            + (r.violations().isEmpty() ? "" : ": " + String.join("; ", r.violations())))));
            case EvaluationCompleted e when StudyProgress.invalid(e) -> u.withOutcome(e.proposalId(),
                    u.of(e.proposalId()).failedIfUnexplained(capped(WireNames.of(e.verdict()) + ": " + e.reason())));
            default -> u;
        };
    }

    private static ModelUse inherit(ModelUse u, StudyOrigin origin) {
        ModelUse inherited = u;
        for (StudyOrigin.Proposal p : origin.proposals()) {
            if (p.tree() != null) {
                inherited = inherited.withOutcome(p.proposalId(), inherited.of(p.proposalId()).ran(p.tree(), null,
                        null));
            }
        }
        return inherited;
    }

    private ModelUse withOutcome(UUID proposalId, ProposalOutcome outcome) {
        return outcome.equals(of(proposalId)) ? this : new ModelUse(spend, with(proposalId, outcome));
    }

    private Map<UUID, ProposalOutcome> with(UUID proposalId, ProposalOutcome outcome) {
        LinkedHashMap<UUID, ProposalOutcome> next = new LinkedHashMap<>(proposals);
        next.put(proposalId, outcome);
        return next;
    }

    /** The last {@code chars} characters of an experiment's output; null when none are kept. */
    static String tail(String text, int chars) {
        if (text == null || chars <= 0 || text.isEmpty()) {
            return null;
        }
        return text.length() <= chars ? text : text.substring(text.length() - chars);
    }

    static String capped(String text) {
        return text.length() <= FAILURE_CHARS ? text : text.substring(0, FAILURE_CHARS - 1) + "…";
    }
}
