package dev.seedloop.stack.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.StrategyUpdated;

/**
 * Where an experiment's time goes, from its study's stored events: each event carries {@code occurredAt}, the
 * producing service's clock when it made the event (all on one machine here, so one clock), and its
 * {@code causationId}. Per proposal: created, its experiment started and ended (implementer), its evaluation
 * (evaluator), the request that evaluation made the learner send (a StrategyUpdated caused by it) and the proposal
 * that request got (a ProposalCreated caused by it). An evaluation that resolves no new ordinal asks for nothing,
 * so the last two stages have fewer samples than proposals.
 */
public final class StageLatencies {

    /** The implementer: consumed the proposal, stored the child tree, materialised it, published ExperimentStarted. */
    public static final String PROPOSED_TO_STARTED = "ProposalCreated -> ExperimentStarted (implementer)";
    /** The experiment itself in the sandbox (here a shell that prints one line), and publishing its outcome. */
    public static final String STARTED_TO_ENDED = "ExperimentStarted -> ExperimentCompleted (sandboxed run)";
    public static final String ENDED_TO_EVALUATED = "ExperimentCompleted -> EvaluationCompleted (evaluator)";
    public static final String EVALUATED_TO_REQUESTED = "EvaluationCompleted -> StrategyUpdated (learner)";
    public static final String REQUESTED_TO_PROPOSED = "StrategyUpdated -> ProposalCreated (proposer)";
    /** The loop's way back: from an experiment's end to the proposal its result made the learner ask for. */
    public static final String ENDED_TO_NEXT_PROPOSAL = "ExperimentCompleted -> next ProposalCreated";
    public static final List<String> STAGES = List.of(PROPOSED_TO_STARTED, STARTED_TO_ENDED, ENDED_TO_EVALUATED,
            EVALUATED_TO_REQUESTED, REQUESTED_TO_PROPOSED, ENDED_TO_NEXT_PROPOSAL);

    private final Map<String, Samples> stages = new LinkedHashMap<>();

    public StageLatencies() {
        STAGES.forEach(stage -> stages.put(stage, new Samples()));
    }

    public Samples stage(String name) {
        return stages.get(name);
    }

    public Map<String, Samples> stages() {
        return stages;
    }

    public void addAll(StageLatencies other) {
        other.stages.forEach((name, samples) -> stages.get(name).addAll(samples));
    }

    /** Adds one study's stages, its events in store order. */
    public void add(List<EventEnvelope> events) {
        Map<UUID, EventEnvelope> proposals = new HashMap<>();
        Map<UUID, EventEnvelope> started = new HashMap<>();
        Map<UUID, EventEnvelope> ended = new HashMap<>();
        Map<UUID, EventEnvelope> evaluated = new HashMap<>();
        Map<UUID, EventEnvelope> requestByCause = new HashMap<>();
        Map<UUID, EventEnvelope> proposalByCause = new HashMap<>();
        for (EventEnvelope event : events) {
            switch (event.payload()) {
                case ProposalCreated p -> {
                    proposals.putIfAbsent(p.proposalId(), event);
                    if (event.causationId() != null) {
                        proposalByCause.putIfAbsent(event.causationId(), event);
                    }
                }
                case ExperimentStarted s -> started.putIfAbsent(s.proposalId(), event);
                case ExperimentCompleted c -> ended.putIfAbsent(c.proposalId(), event);
                case ExperimentFailed f -> ended.putIfAbsent(f.proposalId(), event);
                case EvaluationCompleted e -> evaluated.putIfAbsent(e.proposalId(), event);
                case StrategyUpdated u -> {
                    if (event.causationId() != null) {
                        requestByCause.putIfAbsent(event.causationId(), event);
                    }
                }
                default -> {
                }
            }
        }
        proposals.forEach((proposal, created) -> {
            between(PROPOSED_TO_STARTED, created, started.get(proposal));
            between(STARTED_TO_ENDED, started.get(proposal), ended.get(proposal));
            EventEnvelope evaluation = evaluated.get(proposal);
            between(ENDED_TO_EVALUATED, ended.get(proposal), evaluation);
            EventEnvelope request = evaluation == null ? null : requestByCause.get(evaluation.eventId());
            between(EVALUATED_TO_REQUESTED, evaluation, request);
            EventEnvelope next = request == null ? null : proposalByCause.get(request.eventId());
            between(REQUESTED_TO_PROPOSED, request, next);
            between(ENDED_TO_NEXT_PROPOSAL, ended.get(proposal), next);
        });
    }

    /** A Markdown table: one row per stage. */
    public void print(PrintStream out) {
        out.println("| stage | p50 (ms) | p99 (ms) | max (ms) | n |");
        out.println("|---|---:|---:|---:|---:|");
        stages.forEach((name, samples) -> out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d |%n", name,
                samples.percentile(50), samples.percentile(99), samples.max(), samples.count()));
    }

    private void between(String stage, EventEnvelope from, EventEnvelope to) {
        if (from != null && to != null) {
            stages.get(stage).add(millis(from.occurredAt(), to.occurredAt()));
        }
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }
}
