package dev.seedloop.learner.application;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.TeamStreams;
import dev.seedloop.learner.domain.LearnerDecider;
import dev.seedloop.learner.domain.StrategyFold;
import dev.seedloop.learner.domain.StrategySettings;
import dev.seedloop.learner.domain.StrategyState;
import dev.seedloop.learner.domain.StudyFold;
import dev.seedloop.learner.domain.StudyState;
import dev.seedloop.learner.projection.application.ReadModelRows;
import dev.seedloop.learner.projection.application.SnapshotWriter;
import dev.seedloop.learner.projection.persistence.ReadModels;
import dev.seedloop.learner.projection.persistence.StudySummaryEntity;
import dev.seedloop.learner.store.persistence.EventStore;
import dev.seedloop.learner.store.persistence.Reservations;
import dev.seedloop.learner.store.persistence.StoredEvent;
import dev.seedloop.learner.domain.LearnerState;
import dev.seedloop.learner.domain.StudyDecider;
import dev.seedloop.messaging.SeedloopMeters;
import io.smallrye.mutiny.Uni;

/**
 * Records a batch of events and the learner's decisions about them in one transaction: each new event
 * is folded into its study's state by the {@link StudyDecider}, the decider speaks, and its events are stored right after their
 * cause. The state is therefore always the fold of the store, in store order, which is what makes
 * replay equal the live state. The read models of the studies and teams the batch touched are updated in
 * the same transaction, so they never disagree with the store; so is the admission reservation of each study whose
 * StudyCreated it stores removed (the study counts as active from then on). Team-stream events are stored and feed
 * the team read model but are neither folded nor decided about: they belong to no study.
 *
 * <p>Decisions and the journal are published by the caller after the commit; a batch redelivered after a
 * crash finds its events and decisions already stored and hands them back to publish again.
 *
 * <p>States are cached per study; a study not cached is replayed from its latest snapshot ({@link StudyReplay}).
 * The state after every {@link SnapshotWriter#due snapshot point} a batch passes is handed to the
 * {@link SnapshotWriter} once committed: the states are immutable, so this costs the batch nothing.
 */
@ApplicationScoped
public class EventRecorder {

    /**
     * What to publish: the decisions made now and those found for causes that were already stored; and
     * for the journal, every study event stored now or found stored again (with its decisions), in store
     * order. The learner's own events coming back from Kafka are not journaled again: they were with their cause.
     */
    public record Recorded(int appended, List<EventEnvelope> decisions, List<StoredEvent> journal) {
    }

    /** Each study's folded state; replaced only after a commit. */
    private final Map<String, LearnerState> states = new ConcurrentHashMap<>();

    /**
     * Bumped by {@link #forgetAll}: a batch that began before a rebuild or restore may commit its folds after
     * the cache was cleared, and must not put back states that no longer describe the store.
     */
    private final AtomicLong generation = new AtomicLong();

    private final Mutiny.SessionFactory sessions;
    private final EventStore store;
    private final ReadModels readModels;
    private final Reservations reservations;
    private final Clock clock;
    private final StudyDecider decider;
    private final StudyReplay studyReplay;
    private final SnapshotWriter snapshots;
    private final SeedloopMeters meters;

    /** Constructed, not field-injected, so that {@code ./seedloop bench appends} runs this very class without CDI. */
    @Inject
    public EventRecorder(Mutiny.SessionFactory sessions, EventStore store, ReadModels readModels,
            Reservations reservations, Clock clock, StudyDecider decider, StudyReplay studyReplay,
            SnapshotWriter snapshots, SeedloopMeters meters) {
        this.sessions = sessions;
        this.store = store;
        this.readModels = readModels;
        this.reservations = reservations;
        this.clock = clock;
        this.decider = decider;
        this.studyReplay = studyReplay;
        this.snapshots = snapshots;
        this.meters = meters;
    }

    public Uni<Recorded> record(List<EventEnvelope> incoming) {
        return record(incoming, true);
    }

    /**
     * Stores events as history, as {@link #record} does but deciding nothing and finding nothing to publish
     * again: an imported study (ADR 0010). Its fold, read-model row and snapshots advance slice by slice like a
     * live study's.
     */
    public Uni<Recorded> recordHistory(List<EventEnvelope> incoming) {
        return record(incoming, false);
    }

    private Uni<Recorded> record(List<EventEnvelope> incoming, boolean decide) {
        if (incoming.isEmpty()) {
            return Uni.createFrom().item(new Recorded(0, List.of(), List.of()));
        }
        Map<String, LearnerState> working = new HashMap<>();
        long cachedGeneration = generation.get();
        long started = System.nanoTime();
        return sessions.withTransaction((session, tx) -> store.lockForAppend(session)
                        .chain(() -> store.withoutStored(session, incoming))
                        .chain(fresh -> load(session, fresh, working)
                                .map(ignored -> decideAll(fresh, working, decide))
                                .chain(plan -> store.insert(session, plan.toStore())
                                        .call(() -> readModels.upsertStudies(session, summaries(working.values())))
                                        .call(() -> readModels.upsertQuotas(session, ReadModelRows.quotas(fresh)))
                                        .call(() -> reservations.release(session, created(fresh)))
                                        .chain(inserted -> (decide ? store.storedAgain(session,
                                                        alreadyStored(incoming, fresh), studiesOf(incoming),
                                                        Services.LEARNER) : Uni.createFrom().item(List.<StoredEvent>of()))
                                                .map(again -> new Committed(recorded(fresh.size(), plan, again,
                                                        inserted), snapshotsToWrite(plan, inserted)))))))
                .invoke(committed -> {
                    meters.appended(decide ? "live" : "history", committed.recorded().appended(),
                            java.time.Duration.ofNanos(System.nanoTime() - started));
                    if (generation.get() == cachedGeneration) {
                        states.putAll(working);
                    }
                    committed.snapshots().forEach(due -> snapshots.submit(due.studyId(), due.sequence(),
                            due.state().study(), due.state().strategy()));
                })
                .map(Committed::recorded);
    }

    /** A study's state after one of its events that is a snapshot point. */
    private record DueSnapshot(UUID eventId, String studyId, long sequence, LearnerState state) {
    }

    private record Committed(Recorded recorded, List<DueSnapshot> snapshots) {
    }

    /**
     * The due snapshots whose event the store numbered as the fold counted it. They always agree when the
     * cached state is the fold of the store; if a cache were ever stale, its snapshot is left out rather
     * than stored under a sequence it does not describe.
     */
    private static List<DueSnapshot> snapshotsToWrite(Plan plan, List<StoredEvent> inserted) {
        if (plan.snapshots().isEmpty()) {
            return List.of();
        }
        Map<UUID, Long> sequences = new HashMap<>();
        inserted.forEach(stored -> sequences.put(stored.event().eventId(), stored.studySequence()));
        return plan.snapshots().stream()
                .filter(due -> Long.valueOf(due.sequence()).equals(sequences.get(due.eventId())))
                .toList();
    }

    private static Recorded recorded(int appended, Plan plan, List<StoredEvent> again, List<StoredEvent> inserted) {
        List<EventEnvelope> publish = new ArrayList<>();
        for (StoredEvent stored : again) {
            if (Services.LEARNER.equals(stored.event().producer())) {
                publish.add(stored.event());
            }
        }
        publish.addAll(plan.decisions());
        // Everything found again was stored before anything stored now: together they are in store order.
        List<StoredEvent> journal = new ArrayList<>(again.size() + inserted.size());
        for (List<StoredEvent> part : List.of(again, inserted)) {
            part.stream().filter(stored -> !TeamStreams.isTeamStream(stored.event().studyId())).forEach(journal::add);
        }
        return new Recorded(appended, publish, journal);
    }

    static List<StudySummaryEntity> summaries(Collection<LearnerState> folded) {
        return folded.stream().map(LearnerState::study).filter(s -> s.createdEventId() != null)
                .map(ReadModelRows::summary).toList();
    }

    /** The current state of a study (replayed from the store when not cached). */
    public Uni<LearnerState> state(String studyId) {
        LearnerState cached = states.get(studyId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return replay(studyId);
    }

    /** Folds a study's stored events, from its latest snapshot. */
    public Uni<LearnerState> replay(String studyId) {
        return studyReplay.head(studyId).map(StudyReplay.Replayed::state);
    }

    /** Folds a study's stored events from the first, ignoring snapshots: the definition of its state. */
    public Uni<LearnerState> replayFromFirstEvent(String studyId) {
        return studyReplay.fromFirstEvent(studyId, Long.MAX_VALUE).map(StudyReplay.Replayed::state);
    }

    private Uni<Void> load(Mutiny.Session session, List<EventEnvelope> fresh, Map<String, LearnerState> working) {
        Set<String> uncached = new LinkedHashSet<>();
        fresh.stream().map(EventEnvelope::studyId).filter(id -> !TeamStreams.isTeamStream(id)).forEach(study -> {
            LearnerState cached = states.get(study);
            if (cached != null) {
                working.put(study, cached);
            } else {
                uncached.add(study);
            }
        });
        return replayAll(uncached).invoke(working::putAll).replaceWithVoid();
    }

    /**
     * Folds each study from the store (see {@link #replay}). Replays read committed rows on connections of
     * their own: inside the appending transaction, which holds the append lock, that is the whole store.
     */
    Uni<Map<String, LearnerState>> replayAll(Collection<String> studyIds) {
        Map<String, LearnerState> folded = new LinkedHashMap<>();
        // One after the other: a replay already decodes on every core, and memory holds one page at a time.
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String study : studyIds) {
            chain = chain.chain(() -> replay(study).invoke(state -> folded.put(study, state)).replaceWithVoid());
        }
        return chain.replaceWith(folded);
    }

    private record Plan(List<EventEnvelope> toStore, List<EventEnvelope> decisions, List<DueSnapshot> snapshots) {
    }

    private Plan decideAll(List<EventEnvelope> fresh, Map<String, LearnerState> working, boolean decide) {
        List<EventEnvelope> toStore = new ArrayList<>();
        List<EventEnvelope> decisions = new ArrayList<>();
        List<DueSnapshot> due = new ArrayList<>();
        Set<UUID> planned = new java.util.HashSet<>();
        for (EventEnvelope event : fresh) {
            toStore.add(event);
            planned.add(event.eventId());
            if (TeamStreams.isTeamStream(event.studyId())) {
                continue;
            }
            LearnerState before = working.get(event.studyId());
            LearnerState after = decider.evolve(before, event);
            noteSnapshot(due, event, before, after);
            List<EventEnvelope> said = decide ? decider.decide(before, after, event, clock.instant()) : List.of();
            for (EventEnvelope decision : said) {
                // A decision already stored (e.g. a completion decided once) or planned stays single.
                if (planned.add(decision.eventId()) && !after.study().hasSeen(decision.eventId())) {
                    toStore.add(decision);
                    decisions.add(decision);
                    LearnerState decided = decider.evolve(after, decision);
                    noteSnapshot(due, decision, after, decided);
                    after = decided;
                }
            }
            working.put(event.studyId(), after);
        }
        return new Plan(toStore, decisions, due);
    }

    private void noteSnapshot(List<DueSnapshot> due, EventEnvelope event, LearnerState before, LearnerState after) {
        long sequence = after.study().eventsApplied();
        if (sequence != before.study().eventsApplied() && snapshots.due(sequence)) {
            due.add(new DueSnapshot(event.eventId(), event.studyId(), sequence, after));
        }
    }

    /** Studies whose StudyCreated is stored now: their held place becomes an active study in this transaction. */
    private static List<String> created(List<EventEnvelope> fresh) {
        return fresh.stream().filter(event -> event.payload() instanceof StudyCreated).map(EventEnvelope::studyId)
                .distinct().toList();
    }

    private static List<UUID> alreadyStored(List<EventEnvelope> incoming, List<EventEnvelope> fresh) {
        Set<UUID> freshIds = new java.util.HashSet<>();
        fresh.forEach(event -> freshIds.add(event.eventId()));
        return incoming.stream().map(EventEnvelope::eventId).filter(id -> !freshIds.contains(id)).distinct().toList();
    }

    private static Set<String> studiesOf(List<EventEnvelope> events) {
        Set<String> studies = new java.util.HashSet<>();
        events.forEach(event -> studies.add(event.studyId()));
        return studies;
    }

    /** Forget cached state (tests, and after a failed transaction whose folds never committed). */
    public void forget(String studyId) {
        states.remove(studyId);
    }

    /**
     * Forget every cached state: call under the append lock whenever the store or the projections change
     * outside {@link #record} (a rebuild, a restore), so that the next read folds the store again.
     */
    public void forgetAll() {
        generation.incrementAndGet();
        states.clear();
    }
}
