package dev.seedloop.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * Every study's spec and lifecycle status, as a local view of the studies topic and of the imported studies (the
 * slices on {@link Topics#IMPORTS}, already under the importing team's study id). Specs are immutable once created,
 * so a cache is always right once it holds the study; the view is rebuilt from the topics when the service starts,
 * so no service but the learner keeps state of its own.
 *
 * <p>An imported study's history (its creation and the pauses, resumes, halts and completion in its slices) comes
 * before anything that happens to it here, on the studies topic. The two topics are read in no particular order
 * relative to each other, so both are kept apart and the status is their fold in that order: the imported status,
 * then the live events; a halted or completed study stays so.
 *
 * <p>Stage services ask for a study when an event of it arrives; its StudyCreated (or import) was published before
 * anything that follows from it, so {@link #await} reads up to what was published before the call and then knows:
 * the study is there, or it does not exist ({@link UnknownStudyException}, a matter of that one record).
 */
@ApplicationScoped
public class StudyDirectory extends TopicProjection {

    /** Where a study stands, as far as the stages need to know. */
    public enum Status {
        ACTIVE, PAUSED, HALTED, COMPLETED;

        /** Halted and completed are final: nothing changes them any more. */
        public boolean isFinal() {
            return this == HALTED || this == COMPLETED;
        }
    }

    /** A study's creation event, its spec and its current status. */
    public record Entry(EventEnvelope created, StudyCreated spec, Status status) {
        public boolean acceptsWork() {
            return status == Status.ACTIVE;
        }
    }

    private final Map<String, KnownStudy> studies = new ConcurrentHashMap<>();
    private final List<Consumer<Entry>> statusListeners = new CopyOnWriteArrayList<>();

    @Override
    protected String purpose() {
        return "studies";
    }

    @Override
    protected List<String> topics() {
        return List.of(Topics.STUDIES, Topics.IMPORTS);
    }

    /**
     * The study, once this view has read everything published before the call.
     *
     * @throws UnknownStudyException if it has, and the study is not among it
     * @throws TransientFailure      if it could not read that far within {@code timeout}
     */
    public Entry await(String studyId, Duration timeout) {
        Optional<Entry> known = find(studyId);
        if (known.isPresent()) {
            return known.get();
        }
        if (!awaitLatest(timeout)) {
            throw new TransientFailure("the study directory could not read " + topics() + " up to now within "
                    + timeout.toSeconds() + " s (looking for study " + studyId + ")");
        }
        return find(studyId).orElseThrow(() -> new UnknownStudyException(studyId));
    }

    public Optional<Entry> find(String studyId) {
        ensureReading();
        KnownStudy known = studies.get(studyId);
        return known == null || known.created() == null ? Optional.empty() : Optional.of(known.entry());
    }

    /**
     * Called (on the reader thread) whenever a known study's status changes, e.g. to stop its experiments; also while
     * the view is rebuilt at start, for what happened before.
     */
    public void onStatusChange(Consumer<Entry> listener) {
        statusListeners.add(listener);
        ensureReading();
    }

    @Override
    protected void apply(EventEnvelope event) {
        apply(Topics.STUDIES, event);
    }

    @Override
    protected void apply(String topic, EventEnvelope event) {
        boolean imported = Topics.IMPORTS.equals(topic);
        Status status = switch (event.payload()) {
            case StudyPaused ignored -> Status.PAUSED;
            case StudyResumed ignored -> Status.ACTIVE;
            case StudyHalted ignored -> Status.HALTED;
            case StudyCompleted ignored -> Status.COMPLETED;
            default -> null;
        };
        if (event.payload() instanceof StudyCreated created) {
            update(event.studyId(), known -> known.created(event, created, imported));
        } else if (status != null) {
            update(event.studyId(), known -> imported ? known.importedStatus(status) : known.liveStatus(status));
        }
        // other events (an import's proposals, experiments, ...) are not the directory's business
    }

    /** Applies a change and tells the listeners if it changed a known study's status. Reader thread only. */
    private void update(String studyId, java.util.function.UnaryOperator<KnownStudy> change) {
        KnownStudy after = change.apply(studies.getOrDefault(studyId, KnownStudy.NOTHING));
        Entry changed = null;
        if (after.created() != null && after.status() != after.notified()) {
            after = after.notifiedOf(after.status());
            changed = after.entry();
        }
        studies.put(studyId, after);
        if (changed != null) {
            Entry entry = changed;
            statusListeners.forEach(listener -> listener.accept(entry));
        }
    }

    private void ensureReading() {
        view();
    }
}
