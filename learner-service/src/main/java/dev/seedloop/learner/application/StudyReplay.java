package dev.seedloop.learner.application;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.domain.LearnerFold;
import dev.seedloop.learner.projection.application.SnapshotWriter;
import dev.seedloop.learner.projection.persistence.SnapshotCodec;
import dev.seedloop.learner.store.persistence.StudyHistory;
import dev.seedloop.learner.domain.LearnerState;
import dev.seedloop.learner.domain.StudyDecider;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A study's state as of any point of its log, folded from the store: from the latest snapshot at or before
 * the point ({@link SnapshotWriter}), then the events after it, one page at a time, in one working state
 * ({@link StudyDecider#fold}). Memory is one page of events plus the state itself, whatever the log's length.
 *
 * <p>Snapshots only save work: {@link #fromFirstEvent} ignores them and must give the same state, byte for
 * byte. One that cannot be read, or that does not hold as many events as its sequence says, is skipped for an
 * earlier one. A replay that passes a snapshot point with no snapshot (a log older than snapshots, or one the
 * writer dropped) leaves one there, the last it passes, so the next replay starts later.
 */
@ApplicationScoped
public class StudyReplay {

    private static final Logger LOG = Logger.getLogger(StudyReplay.class);

    /**
     * A study's state after its event {@code sequence} (0: before any), which the store recorded at
     * {@code recordedAt} (null for 0), folded from the snapshot at {@code snapshotSequence} (0: from the first
     * event).
     */
    public record Replayed(LearnerState state, long sequence, Instant recordedAt, long snapshotSequence) {
    }

    /** Where a fold starts: a snapshot, or nothing. */
    private record Start(long sequence, Instant recordedAt, LearnerState state) {
    }

    /** A snapshot that does not hold the events its sequence says: folding from it would give a wrong state. */
    private static final class Inconsistent extends RuntimeException {
        Inconsistent(String message) {
            super(message, null, false, false);
        }
    }

    private final StudyHistory history;
    private final SnapshotWriter snapshots;
    private final StudyDecider decider;
    private final int pageSize;
    /** Where a fold from the first event starts. */
    private final Start firstEvent;

    @Inject
    public StudyReplay(StudyHistory history, SnapshotWriter snapshots, StudyDecider decider, LearnerConfig config) {
        this.history = history;
        this.snapshots = snapshots;
        this.decider = decider;
        this.pageSize = config.store().readPageSize();
        this.firstEvent = new Start(0, null, decider.initial());
    }

    /** The state after the study's last stored event. */
    public Uni<Replayed> head(String studyId) {
        return history.head(studyId).chain(head -> to(studyId, head, true));
    }

    /** The state after event {@code sequence}, or after the last one when the study has fewer. */
    public Uni<Replayed> atSequence(String studyId, long sequence) {
        return history.head(studyId).chain(head -> to(studyId, Math.min(sequence, head), true));
    }

    /** The state after the last event the store recorded at or before {@code time}: what the loop knew then. */
    public Uni<Replayed> atTime(String studyId, Instant time) {
        return history.recordedBy(studyId, time).chain(sequence -> to(studyId, sequence, true));
    }

    /** As {@link #atSequence}, folded from the first event whatever snapshots there are: the definition. */
    public Uni<Replayed> fromFirstEvent(String studyId, long sequence) {
        return history.head(studyId).chain(head -> to(studyId, Math.min(sequence, head), false));
    }

    private Uni<Replayed> to(String studyId, long target, boolean fromSnapshot) {
        Uni<Start> start = fromSnapshot && snapshots.every() > 0 ? startAtOrBefore(studyId, target)
                : Uni.createFrom().item(firstEvent);
        return start.chain(from -> foldFrom(studyId, from, target, fromSnapshot)
                .onFailure(Inconsistent.class).recoverWithUni(inconsistent -> {
                    LOG.warnf("study %s: %s; folding from the first event instead", studyId,
                            inconsistent.getMessage());
                    return foldFrom(studyId, firstEvent, target, false);
                }));
    }

    /** The latest readable snapshot at or before {@code sequence}, or the start of the log. */
    private Uni<Start> startAtOrBefore(String studyId, long sequence) {
        if (sequence <= 0) {
            return Uni.createFrom().item(firstEvent);
        }
        return history.latestSnapshot(studyId, sequence, SnapshotCodec.FORMAT_VERSION).chain(stored -> {
            if (stored == null) {
                return Uni.createFrom().item(firstEvent);
            }
            try {
                SnapshotCodec.Snapshot snapshot = SnapshotCodec.decode(stored.state());
                if (snapshot.study().eventsApplied() != stored.sequence()) {
                    throw new IllegalArgumentException("it holds " + snapshot.study().eventsApplied() + " events");
                }
                return Uni.createFrom().item(new Start(stored.sequence(), stored.recordedAt(),
                        snapshot.state()));
            } catch (IllegalArgumentException e) {
                LOG.warnf("study %s: the snapshot at %d is unreadable (%s); trying an earlier one", studyId,
                        stored.sequence(), e.getMessage());
                return startAtOrBefore(studyId, stored.sequence() - 1);
            }
        });
    }

    private Uni<Replayed> foldFrom(String studyId, Start start, long target, boolean leaveSnapshot) {
        if (start.sequence() >= target) {
            return Uni.createFrom().item(new Replayed(start.state(), start.sequence(), start.recordedAt(),
                    start.sequence()));
        }
        Progress progress = new Progress(studyId, start, leaveSnapshot ? lastSnapshotPoint(start.sequence(), target)
                : 0);
        return Multi.createBy().repeating()
                .uni(() -> history.events(studyId, progress.sequence, target, pageSize))
                .until(List::isEmpty)
                .onItem().invoke(progress::fold)
                .onItem().ignoreAsUni()
                .map(done -> progress.replayed(start.sequence()));
    }

    /** The last snapshot point in ({@code after}, {@code upTo}]; 0 when there is none (or snapshots are off). */
    private long lastSnapshotPoint(long after, long upTo) {
        int every = snapshots.every();
        if (every == 0) {
            return 0;
        }
        long point = upTo - upTo % every;
        return point > after ? point : 0;
    }

    /** A fold under way: its working state, how far it got, and the snapshot point it should leave a snapshot at. */
    private final class Progress {
        private final String studyId;
        private final LearnerFold fold;
        private final long snapshotAt;
        long sequence;
        Instant recordedAt;

        Progress(String studyId, Start start, long snapshotAt) {
            this.studyId = studyId;
            this.fold = decider.fold(start.state());
            this.snapshotAt = snapshotAt;
            this.sequence = start.sequence();
            this.recordedAt = start.recordedAt();
        }

        void fold(List<StudyHistory.Recorded> page) {
            for (StudyHistory.Recorded row : page) {
                fold.apply(row.event());
                // The store numbers a study's distinct events 1, 2, ...: a fold that counts otherwise started
                // from a state that is not what its sequence says.
                if (fold.eventsApplied() != row.sequence()) {
                    throw new Inconsistent("the fold counts " + fold.eventsApplied() + " events at sequence "
                            + row.sequence());
                }
                sequence = row.sequence();
                recordedAt = row.recordedAt();
                if (sequence == snapshotAt) {
                    snapshots.submit(studyId, sequence, fold.study(), fold.strategy());
                }
            }
        }

        Replayed replayed(long from) {
            return new Replayed(fold.state(), sequence, recordedAt, from);
        }
    }
}
