package dev.seedloop.learner.query.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.learner.QueryClient;
import dev.seedloop.learner.StudyScript;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.application.StudyReplay;
import dev.seedloop.learner.domain.Deciders;
import dev.seedloop.learner.domain.LearnerFold;
import dev.seedloop.learner.domain.StrategySettings;
import dev.seedloop.learner.projection.application.StateJson;
import dev.seedloop.learner.projection.persistence.SnapshotCodec;
import dev.seedloop.learner.store.persistence.StudyHistory;
import dev.seedloop.learner.domain.LearnerState;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.queries.StateAtView;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * A study's state as of a sequence or a time, on the real store: the same with and without snapshots (this
 * profile snapshots every 5 events), served over the query topic, and hidden from other teams.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class StateAtTest {

    private static final int EVERY = 5;

    @Inject
    EventRecorder recorder;

    @Inject
    StudyReplay replay;

    @Inject
    StudyHistory history;

    private final QueryClient client = new QueryClient();

    /** A recorded study: its script, how many events the store holds, and a time between two of its batches. */
    private record Recorded(StudyScript script, long head, long lastBefore, Instant between) {
    }

    /**
     * Records, batch by batch as the learner's consumer would, a created study with eight experiments (a
     * failure, a champion, plain evaluations, each followed by the learner's StrategyUpdated) and a pause.
     * Halfway, between two batches, a moment is noted that no event was recorded at.
     */
    private Recorded recordStudy() throws InterruptedException {
        StudyScript s = new StudyScript("lab-" + UUID.randomUUID(), Instant.now());
        List<List<EventEnvelope>> batches = new ArrayList<>();
        batches.add(List.of(s.created(PromotionPolicy.AUTO, "alice").event()));
        for (int n = 0; n < 8; n++) {
            batches.add(List.of(s.proposed(n, n % 2 == 0 ? "mutate" : "random", List.of()).event(),
                    s.started(n).event()));
            batches.add(List.of(s.completed(n, 0.5 - 0.01 * n, "epoch 20/20\n").event(),
                    s.evaluatedChampion(n, 0.5 - 0.01 * n).event()));
        }
        batches.add(List.of(s.paused("carol", "maintenance").event()));

        long lastBefore = 0;
        Instant between = null;
        for (int i = 0; i < batches.size(); i++) {
            List<EventEnvelope> batch = batches.get(i);
            sync(() -> recorder.record(batch));
            if (i == batches.size() / 2) {
                lastBefore = sync(() -> history.head(s.studyId));
                Thread.sleep(50);
                between = Instant.now();
                Thread.sleep(50);
            }
        }
        long head = sync(() -> history.head(s.studyId));
        // The writer works after each commit, on its own thread.
        await().atMost(Duration.ofSeconds(20)).until(() -> latestSnapshot(s.studyId, head) == head - head % EVERY);
        return new Recorded(s, head, lastBefore, between);
    }

    @Test
    void stateWithSnapshotsEqualsStateWithoutThemByteForByteAtEverySequence() throws Throwable {
        Recorded study = recordStudy();
        String id = study.script().studyId;
        assertThat(study.head()).isGreaterThan(4 * EVERY);

        for (long sequence = 0; sequence <= study.head(); sequence++) {
            long at = sequence;
            StudyReplay.Replayed fast = sync(() -> replay.atSequence(id, at));
            StudyReplay.Replayed slow = sync(() -> replay.fromFirstEvent(id, at));

            assertThat(json(fast)).as("at %d", at).isEqualTo(json(slow));
            assertThat(fast.sequence()).isEqualTo(at).isEqualTo(slow.sequence());
            assertThat(fast.recordedAt()).isEqualTo(slow.recordedAt());
            assertThat(fast.snapshotSequence()).isEqualTo(at - at % EVERY);
            assertThat(slow.snapshotSequence()).isZero();
        }
        LearnerState live = sync(() -> recorder.state(id));
        LearnerState scratch = sync(() -> recorder.replayFromFirstEvent(id));
        assertThat(json(sync(() -> replay.head(id)))).isEqualTo(StateJson.write(live.study(), live.strategy()))
                .isEqualTo(StateJson.write(scratch.study(), scratch.strategy()));
    }

    @Test
    void snapshotsOfAnotherFormatUnreadableOrInconsistentAreSkipped() throws Throwable {
        Recorded study = recordStudy();
        String id = study.script().studyId;
        List<StudyHistory.Recorded> log = sync(() -> history.events(id, 0, 20, 100));
        LearnerFold twelve = Deciders.DEFAULT.fold();
        log.subList(0, 12).forEach(row -> twelve.apply(row.event()));
        byte[] atTwelve = SnapshotCodec.encode(twelve.study(), twelve.strategy());
        // Thirteen events, as a snapshot at 13 should hold, but event 14 in place of event 13.
        LearnerFold skipped = Deciders.DEFAULT.fold(twelve.state());
        skipped.apply(log.get(13).event());
        byte[] wrongThirteen = SnapshotCodec.encode(skipped.study(), skipped.strategy());

        sync(() -> history.saveSnapshot(id, 11, SnapshotCodec.FORMAT_VERSION + 1, atTwelve));
        sync(() -> history.saveSnapshot(id, 12, SnapshotCodec.FORMAT_VERSION, "not a snapshot".getBytes()));
        sync(() -> history.saveSnapshot(id, 13, SnapshotCodec.FORMAT_VERSION, wrongThirteen));
        sync(() -> history.saveSnapshot(id, 16, SnapshotCodec.FORMAT_VERSION, atTwelve));

        // 12 cannot be read, and the other format at 11 is not this learner's: from 10.
        StudyReplay.Replayed atTwelveNow = sync(() -> replay.atSequence(id, 12));
        // 13 counts right but holds event 14, which folding on meets again: from the first event.
        StudyReplay.Replayed atFourteen = sync(() -> replay.atSequence(id, 14));
        // 16 holds twelve events: from 15.
        StudyReplay.Replayed atSixteen = sync(() -> replay.atSequence(id, 16));

        assertThat(atTwelveNow.snapshotSequence()).isEqualTo(10);
        assertThat(json(atTwelveNow)).isEqualTo(json(sync(() -> replay.fromFirstEvent(id, 12))));
        assertThat(atFourteen.snapshotSequence()).isZero();
        assertThat(json(atFourteen)).isEqualTo(json(sync(() -> replay.fromFirstEvent(id, 14))));
        assertThat(atSixteen.snapshotSequence()).isEqualTo(15);
        assertThat(json(atSixteen)).isEqualTo(json(sync(() -> replay.fromFirstEvent(id, 16))));
    }

    @Test
    void getStateAtAnswersBySequenceByTimeAndAtTheHead() throws Throwable {
        Recorded study = recordStudy();
        String team = study.script().team;
        String id = study.script().studyId;

        StateAtView bySequence = client.answer(new Query.GetStateAt(team, id, 7L, null), StateAtView.class);
        assertThat(bySequence.studyId()).isEqualTo(id);
        assertThat(bySequence.sequence()).isEqualTo(7);
        assertThat(bySequence.snapshotSequence()).isEqualTo(5);
        assertThat(bySequence.recordedAt()).isEqualTo(sync(() -> history.recordedAt(id, 7)));
        assertThat(bySequence.state().toString()).isEqualTo(json(sync(() -> replay.fromFirstEvent(id, 7))));

        StateAtView byTime = client.answer(new Query.GetStateAt(team, id, null, study.between()), StateAtView.class);
        assertThat(byTime.sequence()).isEqualTo(study.lastBefore());
        assertThat(byTime.recordedAt()).isBefore(study.between());
        assertThat(byTime.state().toString())
                .isEqualTo(json(sync(() -> replay.fromFirstEvent(id, study.lastBefore()))));

        StateAtView head = client.answer(new Query.GetStateAt(team, id, null, null), StateAtView.class);
        StateAtView beyond = client.answer(new Query.GetStateAt(team, id, study.head() + 100, null),
                StateAtView.class);
        LearnerState live = sync(() -> recorder.state(id));
        assertThat(head.sequence()).isEqualTo(study.head()).isEqualTo(beyond.sequence());
        assertThat(head.state().toString()).isEqualTo(StateJson.write(live.study(), live.strategy()))
                .isEqualTo(beyond.state().toString());
        assertThat(head.state().at("/study/status").asText()).isEqualTo("PAUSED");

        StateAtView before = client.answer(new Query.GetStateAt(team, id, null, study.script().t0.minusSeconds(3600)),
                StateAtView.class);
        assertThat(before.sequence()).isZero();
        assertThat(before.recordedAt()).isNull();
        assertThat(before.state().at("/study/status").asText()).isEqualTo("NEW");
    }

    @Test
    void anotherTeamsStudyAndAnUnknownOneAreNotFound() throws Throwable {
        Recorded study = recordStudy();

        QueryReply otherTeam = client.ask(new Query.GetStateAt("intruders", study.script().studyId, 3L, null));
        QueryReply unknown = client.ask(new Query.GetStateAt(study.script().team, "study-" + UUID.randomUUID(), null,
                null));

        assertThat(otherTeam.outcome()).isEqualTo(QueryReply.Outcome.NOT_FOUND);
        assertThat(unknown.outcome()).isEqualTo(QueryReply.Outcome.NOT_FOUND);
    }

    private long latestSnapshot(String studyId, long atOrBefore) {
        StudyHistory.StoredSnapshot snapshot = sync(() -> history.latestSnapshot(studyId, atOrBefore,
                SnapshotCodec.FORMAT_VERSION));
        return snapshot == null ? 0 : snapshot.sequence();
    }

    private static String json(StudyReplay.Replayed replayed) {
        return StateJson.write(replayed.state().study(), replayed.state().strategy());
    }

    private static <T> T sync(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
