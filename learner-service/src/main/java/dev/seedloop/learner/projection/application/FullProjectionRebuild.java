package dev.seedloop.learner.projection.application;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventTypes;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.projection.persistence.ReadModels;
import dev.seedloop.learner.store.persistence.EventStore;
import dev.seedloop.learner.store.persistence.StoredEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Drops every projection and derives it again from the event store: the read-model tables
 * ({@code study_summary}, {@code team_quota}), the snapshots ({@code study_snapshot}) and the recorder's
 * cached states. For when a projection is suspected wrong (a bug fixed in a fold, a hand-edited row) or the
 * store changed behind the recorder's back ({@code StoreRestore}).
 *
 * <p>One transaction under the append lock: no batch is recorded meanwhile, and readers see the old rows
 * until the new ones commit. Each study is folded from its first event, ignoring snapshots (they are dropped
 * too, and may be what is wrong), one study and one page of events at a time, so memory does not grow with
 * the store. Snapshots are not written here: the next replay of a study to its head leaves one at the last
 * snapshot point it passes, and recording writes them as before, so they come back where they are used.
 */
@ApplicationScoped
public class FullProjectionRebuild {

    private static final Logger LOG = Logger.getLogger(FullProjectionRebuild.class);

    /** What a rebuild dropped and wrote, and how many stored events it read to do so. */
    public record Report(int summariesDropped, int quotasDropped, int snapshotsDropped, long studies, long teamQuotas,
            long eventsRead, long elapsedMs) {
    }

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    EventStore store;

    @Inject
    ReadModels readModels;

    @Inject
    ReadModelBackfill rows;

    @Inject
    EventRecorder recorder;

    @Inject
    LearnerConfig config;

    @Inject
    Maintenance maintenance;

    /** Rebuilds unless a rebuild or restore is already running ({@link Maintenance.Busy}). */
    public Uni<Report> rebuild() {
        return Uni.createFrom().deferred(() -> {
            maintenance.begin("a projection rebuild");
            return rebuildNow().onTermination().invoke(maintenance::end);
        });
    }

    /** The rebuild itself, for callers that already hold {@link Maintenance}. */
    public Uni<Report> rebuildNow() {
        long started = System.nanoTime();
        AtomicLong eventsRead = new AtomicLong();
        return sessions.withTransaction((session, tx) -> store.lockForAppend(session)
                .chain(() -> readModels.dropAll(session))
                // Under the lock, so no batch can put back a state folded before the rebuild.
                .invoke(recorder::forgetAll)
                .call(() -> studies(session, eventsRead))
                .call(() -> quotas(session, eventsRead))
                .chain(dropped -> readModels.rowCounts(session).map(counts -> new Report(dropped.summaries(),
                        dropped.quotas(), dropped.snapshots(), counts.summaries(), counts.quotas(), eventsRead.get(),
                        (System.nanoTime() - started) / 1_000_000))))
                .invoke(report -> LOG.infof("projections rebuilt from the store: %s", report));
    }

    /** Every created study, a page of them at a time, in store order. */
    private Uni<Void> studies(Mutiny.Session session, AtomicLong eventsRead) {
        int pageSize = config.store().readPageSize();
        AtomicLong cursor = new AtomicLong();
        return Multi.createBy().repeating()
                .uni(() -> store.createdAfter(session, cursor.get(), pageSize).call(page -> {
                    if (page.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    cursor.set(page.getLast().position());
                    // A second StudyCreated of a study (a producer's bug) must not upsert its row twice at once.
                    Set<String> ids = new LinkedHashSet<>();
                    page.forEach(created -> ids.add(created.studyId()));
                    return rows.summarize(session, ids, true).invoke(done -> eventsRead.addAndGet(done.events()));
                }))
                .until(List::isEmpty)
                .onItem().ignoreAsUni();
    }

    /** Every TeamQuotaSet, a page at a time, in store order: a later page overwrites what an earlier one set. */
    private Uni<Void> quotas(Mutiny.Session session, AtomicLong eventsRead) {
        int pageSize = config.store().readPageSize();
        AtomicLong cursor = new AtomicLong();
        return Multi.createBy().repeating()
                .uni(() -> store.ofTypeAfter(session, EventTypes.TEAM_QUOTA_SET, cursor.get(), pageSize)
                        .call(page -> {
                            if (page.isEmpty()) {
                                return Uni.createFrom().voidItem();
                            }
                            cursor.set(page.getLast().globalPosition());
                            eventsRead.addAndGet(page.size());
                            return rows.upsertQuotas(session, page.stream().map(StoredEvent::event).toList());
                        }))
                .until(List::isEmpty)
                .onItem().ignoreAsUni();
    }
}
