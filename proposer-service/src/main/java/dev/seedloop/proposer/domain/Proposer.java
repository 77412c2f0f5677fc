package dev.seedloop.proposer.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyCreated;

/**
 * Decides which proposals an event calls for. Pure and deterministic: ids derive from the causing
 * event, so a redelivered cause yields the very same proposals (consumers downstream deduplicate).
 */
public final class Proposer {

    public static final String RANDOM_OPERATOR = "uniform";

    private Proposer() {
    }

    /** A new study gets its first batch: as many proposals as it may run at once. */
    public static List<EventEnvelope> onStudyCreated(EventEnvelope cause, StudyCreated study, Instant now) {
        int batch = study.budget().parallelism();
        List<EventEnvelope> proposals = new ArrayList<>(batch);
        for (int ordinal = 0; ordinal < batch; ordinal++) {
            UUID proposalId = EventIds.derived(cause.eventId(), "proposal:" + ordinal);
            ProposalCreated proposal = new ProposalCreated(proposalId, ordinal, study.strategy(), RANDOM_OPERATOR,
                    RandomSearch.sample(study.searchSpace(), study.seed(), ordinal), List.of());
            proposals.add(new EventEnvelope(EventIds.derived(proposalId, "event"), cause.studyId(), cause.team(),
                    now, cause.eventId(), cause.correlationId(), Services.PROPOSER, proposal));
        }
        return proposals;
    }
}
