package dev.seedloop.learner.projection.application;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.domain.StrategyState;
import dev.seedloop.learner.domain.StudyState;
import dev.seedloop.learner.projection.persistence.SnapshotCodec;
import dev.seedloop.learner.store.persistence.StudyHistory;
import io.smallrye.mutiny.Uni;

/**
 * Writes snapshots of folded study state, at every {@code seedloop.learner.snapshots.every}-th event of a
 * study. The states handed in are immutable, so taking one costs the caller nothing; encoding (proportional
 * to the study's size) and the insert happen on one thread of its own, never on the recording path or an
 * event loop. When that thread falls more than {@code max-pending} behind, new snapshots are dropped: they
 * are an optimization, and a missing one only makes replays start from an earlier one.
 */
@ApplicationScoped
public class SnapshotWriter {

    private static final Logger LOG = Logger.getLogger(SnapshotWriter.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofMinutes(1);

    private final StudyHistory history;
    private final int every;
    private final ThreadPoolExecutor worker;

    @Inject
    public SnapshotWriter(StudyHistory history, LearnerConfig config) {
        this.history = history;
        this.every = Math.max(0, config.snapshots().every());
        this.worker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, config.snapshots().maxPending())), runnable -> {
                    Thread thread = new Thread(runnable, "learner-snapshots");
                    thread.setDaemon(true);
                    return thread;
                }, (dropped, executor) -> LOG.debug("snapshot writer busy: a snapshot was dropped"));
        worker.allowCoreThreadTimeOut(true);
    }

    /** Events between two snapshots of a study; 0 when snapshots are off. */
    public int every() {
        return every;
    }

    /** Whether the state after a study's event {@code sequence} is one to snapshot. */
    public boolean due(long sequence) {
        return every > 0 && sequence > 0 && sequence % every == 0;
    }

    /**
     * Queues the state of a study after its event {@code sequence} (committed, or the insert finds no event
     * and writes nothing) to be written; returns at once.
     */
    public void submit(String studyId, long sequence, StudyState study, StrategyState strategy) {
        if (every == 0) {
            return;
        }
        worker.execute(() -> {
            try {
                write(studyId, sequence, study, strategy).await().atMost(WRITE_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not write the snapshot of study %s at %d; replays start from an earlier one",
                        studyId, sequence);
            }
        });
    }

    /** Encodes and stores a snapshot now; false when one was already there. */
    public Uni<Boolean> write(String studyId, long sequence, StudyState study, StrategyState strategy) {
        return Uni.createFrom().item(() -> SnapshotCodec.encode(study, strategy))
                .chain(bytes -> history.saveSnapshot(studyId, sequence, SnapshotCodec.FORMAT_VERSION, bytes));
    }

    @PreDestroy
    void stop() {
        // Whatever is queued is derived data: not worth delaying shutdown for.
        worker.shutdownNow();
    }
}
