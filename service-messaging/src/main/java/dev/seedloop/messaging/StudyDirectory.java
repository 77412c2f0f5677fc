package dev.seedloop.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;


import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.Topics;

/**
 * Every study's spec and lifecycle status, as a local view of the studies topic. Specs are immutable
 * once created, so a cache is always right once it holds the study; the view is rebuilt from the topic
 * when the service starts, so no service but the learner keeps state of its own.
 *
 * <p>Stage services ask for a study when an event of it arrives; its StudyCreated was published before
 * anything that follows from it, so {@link #await} only waits for this view to catch up.
 */
@ApplicationScoped
public class StudyDirectory extends TopicProjection {

    /** Where a study stands, as far as the stages need to know. */
    public enum Status { ACTIVE, PAUSED, HALTED, COMPLETED }

    /** A study's creation event, its spec and its current status. */
    public record Entry(EventEnvelope created, StudyCreated spec, Status status) {
        public boolean acceptsWork() {
            return status == Status.ACTIVE;
        }
    }

    private final Map<String, Entry> studies = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Entry>> waiting = new ConcurrentHashMap<>();
    private final List<Consumer<Entry>> statusListeners = new CopyOnWriteArrayList<>();
    @Override
    protected String purpose() {
        return "studies";
    }

    @Override
    protected List<String> topics() {
        return List.of(Topics.STUDIES);
    }

    /** The study, once this view has read its creation; fails after {@code timeout}. */
    public Entry await(String studyId, Duration timeout) {
        ensureReading();
        Entry known = studies.get(studyId);
        if (known != null) {
            return known;
        }
        CompletableFuture<Entry> future = waiting.computeIfAbsent(studyId, id -> new CompletableFuture<>());
        known = studies.get(studyId);
        if (known != null) {
            return known;
        }
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("study " + studyId + " is not on " + Topics.STUDIES + " after "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for study " + studyId, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public Optional<Entry> find(String studyId) {
        ensureReading();
        return Optional.ofNullable(studies.get(studyId));
    }

    /** Called (on the reader thread) whenever a study's status changes, e.g. to stop its experiments. */
    public void onStatusChange(Consumer<Entry> listener) {
        statusListeners.add(listener);
        ensureReading();
    }

    @Override
    protected void apply(EventEnvelope event) {
        switch (event.payload()) {
            case StudyCreated created -> {
                Entry entry = new Entry(event, created, Status.ACTIVE);
                if (studies.putIfAbsent(event.studyId(), entry) == null) {
                    CompletableFuture<Entry> waiter = waiting.remove(event.studyId());
                    if (waiter != null) {
                        waiter.complete(entry);
                    }
                }
            }
            case StudyPaused ignored -> changeStatus(event.studyId(), Status.PAUSED);
            case StudyResumed ignored -> changeStatus(event.studyId(), Status.ACTIVE);
            case StudyHalted ignored -> changeStatus(event.studyId(), Status.HALTED);
            case StudyCompleted ignored -> changeStatus(event.studyId(), Status.COMPLETED);
            default -> {
                // other topics' events never arrive here
            }
        }
    }

    private void changeStatus(String studyId, Status status) {
        Entry updated = studies.computeIfPresent(studyId, (id, entry) ->
                entry.status() == Status.HALTED || entry.status() == Status.COMPLETED
                        ? entry // final states stay final
                        : new Entry(entry.created(), entry.spec(), status));
        if (updated != null && updated.status() == status) {
            statusListeners.forEach(listener -> listener.accept(updated));
        }
    }

    private void ensureReading() {
        view();
    }
}
