package dev.seedloop.learner.application;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Services;
import dev.seedloop.learner.domain.LearnerDecider;
import dev.seedloop.learner.domain.StrategyFold;
import dev.seedloop.learner.domain.StrategySettings;
import dev.seedloop.learner.domain.StrategyState;
import dev.seedloop.learner.domain.StudyFold;
import dev.seedloop.learner.domain.StudyState;
import dev.seedloop.learner.persistence.EventStore;
import io.smallrye.mutiny.Uni;

/**
 * Records a batch of events and the learner's decisions about them in one transaction: each new event
 * is folded into its study's state, the decider speaks, and its events are stored right after their
 * cause. The state is therefore always the fold of the store, in store order, which is what makes
 * replay equal the live state. Decisions are published by the caller after the commit; a batch
 * redelivered after a crash finds its decisions already stored and hands them back to publish again.
 */
@ApplicationScoped
public class EventRecorder {

    /** What to publish: the decisions made now, and those found for causes that were already stored. */
    public record Recorded(int appended, List<EventEnvelope> decisions) {
    }

    /** A study's folded state; replaced only after a commit. */
    public record Folded(StudyState study, StrategyState strategy) {
        static Folded initial() {
            return new Folded(StudyState.EMPTY, StrategyState.initial(StrategySettings.DEFAULTS));
        }

        Folded apply(EventEnvelope event) {
            StudyState after = StudyFold.evolve(study, event);
            return new Folded(after, StrategyFold.evolve(strategy, study, event));
        }
    }

    private final Map<String, Folded> states = new ConcurrentHashMap<>();

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    EventStore store;

    @Inject
    Clock clock;

    public Uni<Recorded> record(List<EventEnvelope> incoming) {
        if (incoming.isEmpty()) {
            return Uni.createFrom().item(new Recorded(0, List.of()));
        }
        Map<String, Folded> working = new HashMap<>();
        return sessions.withTransaction((session, tx) -> store.lockForAppend(session)
                        .chain(() -> store.withoutStored(session, incoming))
                        .chain(fresh -> load(session, fresh, working)
                                .map(ignored -> decideAll(fresh, working))
                                .chain(plan -> store.insert(session, plan.toStore())
                                        .chain(() -> store.causedBy(session, alreadyStored(incoming, fresh),
                                                Services.LEARNER))
                                        .map(again -> {
                                            List<EventEnvelope> publish = new ArrayList<>(again);
                                            publish.addAll(plan.decisions());
                                            return new Recorded(fresh.size(), publish);
                                        }))))
                .invoke(() -> states.putAll(working));
    }

    /** The current state of a study (replayed from the store when not cached). */
    public Uni<Folded> state(String studyId) {
        Folded cached = states.get(studyId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return replay(studyId);
    }

    /** Folds a study's stored events from scratch: the definition of its state. */
    public Uni<Folded> replay(String studyId) {
        return store.readStudy(studyId, 0)
                .collect().in(() -> new Folded[] {Folded.initial()}, (acc, stored) -> acc[0] = acc[0].apply(stored.event()))
                .map(acc -> acc[0]);
    }

    private Uni<Void> load(Mutiny.Session session, List<EventEnvelope> fresh, Map<String, Folded> working) {
        Set<String> studies = new LinkedHashSet<>();
        fresh.forEach(event -> studies.add(event.studyId()));
        List<Uni<Void>> loads = new ArrayList<>();
        for (String study : studies) {
            Folded cached = states.get(study);
            if (cached != null) {
                working.put(study, cached);
            } else {
                loads.add(replay(study).invoke(folded -> working.put(study, folded)).replaceWithVoid());
            }
        }
        // One after the other: they share the transaction's session, which is not thread-safe.
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> load : loads) {
            chain = chain.chain(() -> load);
        }
        return chain;
    }

    private record Plan(List<EventEnvelope> toStore, List<EventEnvelope> decisions) {
    }

    private Plan decideAll(List<EventEnvelope> fresh, Map<String, Folded> working) {
        List<EventEnvelope> toStore = new ArrayList<>();
        List<EventEnvelope> decisions = new ArrayList<>();
        Set<UUID> planned = new java.util.HashSet<>();
        for (EventEnvelope event : fresh) {
            toStore.add(event);
            planned.add(event.eventId());
            Folded before = working.get(event.studyId());
            Folded after = before.apply(event);
            List<EventEnvelope> said = LearnerDecider.decide(before.study(), after.study(), after.strategy(), event,
                    clock.instant());
            for (EventEnvelope decision : said) {
                // A decision already stored (e.g. a completion decided once) or planned stays single.
                if (planned.add(decision.eventId()) && !after.study().hasSeen(decision.eventId())) {
                    toStore.add(decision);
                    decisions.add(decision);
                    after = after.apply(decision);
                }
            }
            working.put(event.studyId(), after);
        }
        return new Plan(toStore, decisions);
    }

    private static List<UUID> alreadyStored(List<EventEnvelope> incoming, List<EventEnvelope> fresh) {
        Set<UUID> freshIds = new java.util.HashSet<>();
        fresh.forEach(event -> freshIds.add(event.eventId()));
        return incoming.stream().map(EventEnvelope::eventId).filter(id -> !freshIds.contains(id)).distinct().toList();
    }

    /** Forget cached state (tests, and after a failed transaction whose folds never committed). */
    public void forget(String studyId) {
        states.remove(studyId);
    }
}
