package dev.seedloop.learner.store.application;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.projection.application.FullProjectionRebuild;
import dev.seedloop.learner.projection.application.Maintenance;
import dev.seedloop.learner.store.persistence.RestoreAppender;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Puts back into the store what the Kafka topics hold and the store lacks (ADR 0012), then rebuilds every
 * projection from the result. First the journal, whose records carry each stored study event's exact text and
 * study sequence: appended with that sequence, they give back the lost store's order. Then the topics the
 * learner consumes: whatever they hold that is still missing (team events, which are not journaled; events
 * journaled longer ago than the journal keeps; imports) is appended after its study's last event, in the order
 * of the records' timestamps.
 *
 * <p>History only: nothing is decided (decisions depend on the time they are made; deciding history again could
 * contradict what happened) and nothing is published, not even to the journal. Event ids already stored are
 * skipped, so running it again, or against a store that is not empty, only fills in what is missing.
 *
 * <p>At start-up, before the consumers start, a learner that finds the store empty runs it
 * ({@code seedloop.learner.restore.on-empty-store}). Blocking: call {@link #restore} from a worker thread.
 */
@ApplicationScoped
public class StoreRestore {

    private static final Logger LOG = Logger.getLogger(StoreRestore.class);

    /** Events per round trip to the database: the statement batch size of the live path. */
    private static final int BATCH = 200;

    /**
     * What a restore did. Journal: records read, events appended with their sequence, records whose event was
     * already stored, records whose sequence was not the next free one (left to the source topics), records
     * that were not journal entries. Sources: records read, events appended, events already stored, records no
     * consumer of the learner could have read. Then the projections' rebuild.
     */
    public record Report(long journalRecords, int journalAppended, int journalDuplicates, int journalDisplaced,
            long journalSkipped, long sourceRecords, int sourceAppended, int sourceDuplicates, long sourceSkipped,
            FullProjectionRebuild.Report projections, long elapsedMs) {
    }

    @Inject
    RestoreAppender appender;

    @Inject
    TopicArchive archive;

    @Inject
    FullProjectionRebuild projections;

    @Inject
    EventRecorder recorder;

    @Inject
    LearnerConfig config;

    @Inject
    Maintenance maintenance;

    /** Before SmallRye starts the consumers (priority 1000): no batch may be decided on a store being restored. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start) {
        if (config.restore().onEmptyStore()) {
            restoreIfEmpty(config.restore().journalTopic()).ifPresent(report -> LOG.infof(
                    "the event store was empty: restored %d events from the journal and %d from the event topics",
                    report.journalAppended(), report.sourceAppended()));
        }
    }

    /** Restores only if the store holds no event at all (what a learner does at start-up). */
    public Optional<Report> restoreIfEmpty(String journalTopic) {
        if (!appender.isEmpty().await().indefinitely()) {
            return Optional.empty();
        }
        return Optional.of(restore(journalTopic));
    }

    /** Fills in what the store lacks, reading the configured journal first. */
    public Report restore() {
        return restore(config.restore().journalTopic());
    }

    /** Fills in what the store lacks, reading {@code journalTopic} first (a missing topic reads as empty). */
    public Report restore(String journalTopic) {
        return restore(journalTopic, archive);
    }

    /** The same from another copy of the topics (tests: a broker that goes away half-way). */
    Report restore(String journalTopic, TopicArchive from) {
        maintenance.begin("a store restore");
        try {
            return restoreNow(journalTopic, from);
        } finally {
            maintenance.end();
        }
    }

    private Report restoreNow(String journalTopic, TopicArchive archive) {
        long started = System.nanoTime();
        RestoreAppender.Run run = appender.begin().await().indefinitely();
        Tally journal = new Tally();
        Tally sources = new Tally();
        TopicArchive.Read journalRead;
        TopicArchive.Read sourcesRead;
        try {
            journalRead = archive.readJournal(journalTopic, BATCH, chunk -> journal.add(run, chunk,
                    entry -> new RestoreAppender.Restorable(entry.event(), entry.json(), entry.sequence(),
                            entry.publishedAt())));
            sourcesRead = archive.readSources(BATCH, chunk -> sources.add(run, chunk,
                    source -> new RestoreAppender.Restorable(source.event(), null, 0, source.producedAt())));
            // Still under the append lock: no batch can fold a study between the commit and the cache's clearing.
            recorder.forgetAll();
            run.commit().await().indefinitely();
        } catch (RuntimeException e) {
            try {
                run.rollback().await().indefinitely();
            } catch (RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        LOG.infof("restored the store from Kafka: journal %s, sources %s", journal, sources);
        FullProjectionRebuild.Report rebuilt;
        try {
            rebuilt = VertxContextSupport.subscribeAndAwait(projections::rebuildNow);
        } catch (Throwable e) {
            throw new IllegalStateException("the store was restored but its projections could not be rebuilt: "
                    + e.getMessage(), e);
        }
        return new Report(journalRead.records(), journal.appended, journal.duplicates, journal.displaced,
                journalRead.skipped(), sourcesRead.records(), sources.appended, sources.duplicates,
                sourcesRead.skipped(), rebuilt, (System.nanoTime() - started) / 1_000_000);
    }

    /** What the appends of one phase did, summed. */
    private static final class Tally {
        int appended;
        int duplicates;
        int displaced;

        <T> void add(RestoreAppender.Run run, List<T> chunk, Function<T, RestoreAppender.Restorable> restorable) {
            RestoreAppender.Appended done = run.append(chunk.stream().map(restorable).toList()).await().indefinitely();
            appended += done.appended();
            duplicates += done.duplicates();
            displaced += done.displaced();
        }

        @Override
        public String toString() {
            return appended + " appended, " + duplicates + " already stored, " + displaced + " out of place";
        }
    }
}
