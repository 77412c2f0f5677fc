package dev.seedloop.implementer.application;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;


import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.Topics;
import dev.seedloop.messaging.TopicProjection;

/**
 * Which proposals already have an outcome, read from the experiments topic (and noted as soon as this
 * instance publishes one): a redelivered or re-requested proposal is not run twice. A proposal that
 * only started (the implementer died mid-run) has no outcome and runs again under the same ids.
 */
@ApplicationScoped
public class ExperimentLedger extends TopicProjection {

    private final Set<UUID> finished = ConcurrentHashMap.newKeySet();
    private final Set<UUID> claimed = ConcurrentHashMap.newKeySet();
    @Override
    protected String purpose() {
        return "experiments";
    }

    @Override
    protected List<String> topics() {
        return List.of(Topics.EXPERIMENTS);
    }

    /** True once the proposal has an outcome; waits (briefly) for the view to catch up the first time. */
    public boolean hasOutcome(UUID proposalId) {
        view().awaitCaughtUp(Duration.ofSeconds(30));
        return finished.contains(proposalId);
    }

    public void noteOutcome(UUID proposalId) {
        finished.add(proposalId);
    }

    /**
     * Claims a proposal for this instance while it runs, so a copy delivered at the same time (to
     * another worker thread) is not run alongside it.
     *
     * @return false if it is already running here
     */
    public boolean claim(UUID proposalId) {
        return claimed.add(proposalId);
    }

    public void release(UUID proposalId) {
        claimed.remove(proposalId);
    }

    @Override
    protected void apply(EventEnvelope event) {
        switch (event.payload()) {
            case ExperimentCompleted completed -> finished.add(completed.proposalId());
            case ExperimentFailed failed -> finished.add(failed.proposalId());
            default -> {
                // starts and other events do not settle a proposal
            }
        }
    }
}
