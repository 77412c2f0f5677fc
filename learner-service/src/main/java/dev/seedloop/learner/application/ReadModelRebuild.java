package dev.seedloop.learner.application;

import java.util.LinkedHashSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventTypes;
import dev.seedloop.learner.persistence.EventStore;
import dev.seedloop.learner.persistence.ReadModels;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Fills in read-model rows the store implies but the tables lack: studies stored before the tables existed,
 * or rows deleted on purpose to have them rebuilt. Runs at start-up under the append lock, so it never races
 * a batch; once the tables are complete it costs one query per table.
 */
@ApplicationScoped
public class ReadModelRebuild {

    private static final Logger LOG = Logger.getLogger(ReadModelRebuild.class);

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    EventStore store;

    @Inject
    ReadModels readModels;

    @Inject
    EventRecorder recorder;

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
                .chain(ids -> recorder.replayAll(new LinkedHashSet<>(ids)))
                .map(folded -> EventRecorder.summaries(folded.values()))
                .chain(rows -> readModels.upsertStudies(session, rows).replaceWith(rows.size()))
                .chain(studies -> readModels.eventsOfTeamsWithoutQuota(session, EventTypes.TEAM_QUOTA_SET)
                        .map(events -> ReadModelRows.quotas(events.stream().map(e -> codec.decode(e.envelope)).toList()))
                        .chain(quotas -> readModels.upsertQuotas(session, quotas).replaceWith(studies + quotas.size()))));
    }
}
