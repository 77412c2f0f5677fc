package dev.seedloop.gateway.application;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventTypes;
import dev.seedloop.gateway.domain.CodeLineage;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.Views;

/**
 * An llm study's code lineage for its postmortem, folded from the study's proposal, model-call, outcome and champion
 * events as the learner serves them to the caller's team (page by page; the fold keeps only bounded text). Blocking
 * (learner round trips): call it from a worker thread.
 */
@ApplicationScoped
public class CodeLineages {

    private static final List<String> LINEAGE_EVENTS = List.of(EventTypes.PROPOSAL_CREATED,
            EventTypes.PROPOSAL_REJECTED, EventTypes.MODEL_CALL_COMPLETED, EventTypes.EXPERIMENT_FAILED,
            EventTypes.EVALUATION_COMPLETED, EventTypes.CHAMPION_CHANGED);

    @Inject
    LearnerQueries queries;

    @Inject
    EventCodec codec;

    /** The lineage up to the study's sequence {@code through} (the postmortem's), so both tell the same story. */
    public CodeLineage.View of(String team, String studyId, long through) {
        CodeLineage lineage = new CodeLineage();
        long after = 0;
        while (after < through) {
            Views.EventPage page = queries.events(team, studyId, after, Query.MAX_PAGE, LINEAGE_EVENTS).await()
                    .indefinitely();
            for (Views.StoredEventView stored : page.items()) {
                if (stored.sequence() > through) {
                    return lineage.view();
                }
                lineage.accept(codec.decode(stored.event().toString()).payload());
                after = stored.sequence();
            }
            if (!page.more() || page.items().isEmpty()) {
                break;
            }
        }
        return lineage.view();
    }
}
