package dev.seedloop.learner.projection.application;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventTypes;
import dev.seedloop.learner.application.StudyReplay;
import dev.seedloop.learner.projection.persistence.ReadModels;
import dev.seedloop.learner.projection.persistence.StudySummaryEntity;
import dev.seedloop.learner.projection.persistence.TeamQuotaEntity;
import dev.seedloop.learner.store.persistence.EventStore;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Fills in read-model rows the store implies but the tables lack: studies stored before the tables existed,
 * or rows deleted on purpose to have them rebuilt. Runs at start-up under the append lock, so it never races
 * a batch; once the tables are complete it costs one query per table. The folding and writing of rows is
 * shared with the full rebuild ({@link FullProjectionRebuild}).
 */
@ApplicationScoped
public class ReadModelBackfill {

    private static final Logger LOG = Logger.getLogger(ReadModelBackfill.class);

    /** What folding some studies into their summary rows wrote, and how many stored events it folded. */
    record Summarized(int rows, long events) {
    }

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    EventStore store;

    @Inject
    ReadModels readModels;

    @Inject
    StudyReplay replay;

    @Inject
    EventCodec codec;

    void onStart(@Observes StartupEvent start) throws Throwable {
        int rebuilt = VertxContextSupport.subscribeAndAwait(this::rebuildMissing);
        if (rebuilt > 0) {
            LOG.infof("rebuilt %d read-model rows from the event store", rebuilt);
        }
    }

    /** Returns how many rows it wrote. */
    public Uni<Integer> rebuildMissing() {
        return sessions.withTransaction((session, tx) -> store.lockForAppend(session)
                .chain(() -> readModels.studiesWithoutSummary(session))
                .chain(ids -> summarize(session, new LinkedHashSet<>(ids), false))
                .chain(studies -> readModels.eventsOfTeamsWithoutQuota(session, EventTypes.TEAM_QUOTA_SET)
                        .map(events -> events.stream().map(e -> codec.decode(e.envelope)).toList())
                        .chain(events -> upsertQuotas(session, events))
                        .map(quotas -> studies.rows() + quotas)));
    }

    /**
     * Folds each study and upserts the summary rows of those that were created. One study after the other: a
     * replay already decodes on every core, and this way memory holds one page of events and one state, not
     * the states of every study. {@code fromFirstEvent} ignores snapshots, for a rebuild that must recompute
     * everything whatever the snapshots say.
     */
    Uni<Summarized> summarize(Mutiny.Session session, Collection<String> studyIds, boolean fromFirstEvent) {
        List<StudySummaryEntity> rows = new ArrayList<>();
        long[] events = {0};
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String study : studyIds) {
            chain = chain.chain(() -> (fromFirstEvent ? replay.fromFirstEvent(study, Long.MAX_VALUE)
                    : replay.head(study))
                    .invoke(folded -> {
                        events[0] += folded.sequence();
                        if (folded.state().study().createdEventId() != null) {
                            rows.add(ReadModelRows.summary(folded.state().study()));
                        }
                    })
                    .replaceWithVoid());
        }
        return chain.chain(() -> readModels.upsertStudies(session, rows))
                .map(ignored -> new Summarized(rows.size(), events[0]));
    }

    /** Upserts the quotas that TeamQuotaSet events (in store order) leave; returns the rows written. */
    Uni<Integer> upsertQuotas(Mutiny.Session session, List<EventEnvelope> quotaEvents) {
        Collection<TeamQuotaEntity> quotas = ReadModelRows.quotas(quotaEvents);
        return readModels.upsertQuotas(session, quotas).replaceWith(quotas.size());
    }
}
