package dev.seedloop.learner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.learner.application.Admissions;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * The learner admits studies against their team's quotas through the real query channel, holding a place for each
 * admitted study until its StudyCreated is stored or the reservation lapses, so that creations racing each other
 * cannot all pass. The team's quota here is the operator's default the query carries: 2 concurrent studies.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class AdmissionTest {

    private static final int CONCURRENT = 2;
    private static final int PER_DAY = 100;

    @Inject
    EventRecorder recorder;

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    Admissions admissions;

    private final QueryClient client = new QueryClient();

    private Views.AdmissionView admit(String team, String studyId) {
        return client.answer(new Query.AdmitStudy(team, studyId, 10, CONCURRENT, PER_DAY), Views.AdmissionView.class);
    }

    private static String team() {
        return "admission-" + UUID.randomUUID();
    }

    @Test
    void tenParallelAdmissionsForAQuotaOfTwoAdmitExactlyTwo() throws Exception {
        String team = team();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Views.AdmissionView> answers = new ArrayList<>();
        try {
            List<Future<Views.AdmissionView>> asked = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                asked.add(pool.submit(() -> admit(team, UUID.randomUUID().toString())));
            }
            for (Future<Views.AdmissionView> answer : asked) {
                answers.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(answers).filteredOn(Views.AdmissionView::admitted).hasSize(CONCURRENT)
                .allSatisfy(admitted -> assertThat(admitted.reservedUntil()).isAfter(Instant.now()));
        assertThat(answers).filteredOn(answer -> !answer.admitted()).hasSize(10 - CONCURRENT)
                .allSatisfy(refused -> {
                    assertThat(refused.status()).isEqualTo(429);
                    assertThat(refused.retryAfterSeconds()).isPositive();
                    assertThat(refused.detail()).contains("2 active studies");
                });
    }

    /**
     * The query channel answers one request at a time, but several consumers (a scaled learner, more partitions)
     * answer side by side: ten admissions on ten connections at once still admit two, because PostgreSQL
     * serialises the team's admissions.
     */
    @Test
    void admissionsDecidedSideBySideOnTheirOwnConnectionsStillAdmitOnlyTheQuota() throws Exception {
        String team = team();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CyclicBarrier start = new CyclicBarrier(10);
        List<Views.AdmissionView> answers = new ArrayList<>();
        try {
            List<Future<Views.AdmissionView>> asked = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                asked.add(pool.submit(() -> {
                    start.await();
                    return admitDirectly(new Query.AdmitStudy(team, UUID.randomUUID().toString(), 10, CONCURRENT,
                            PER_DAY));
                }));
            }
            for (Future<Views.AdmissionView> answer : asked) {
                answers.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(answers).filteredOn(Views.AdmissionView::admitted).hasSize(CONCURRENT);
        assertThat(answers).filteredOn(answer -> !answer.admitted()).extracting(Views.AdmissionView::status)
                .containsOnly(429);
    }

    /** On a context, and so a connection, of its own. */
    private Views.AdmissionView admitDirectly(Query.AdmitStudy query) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> admissions.admit(query));
        } catch (Throwable e) {
            throw new IllegalStateException("the admission failed", e);
        }
    }

    @Test
    void askingAgainForTheSameStudyAnswersTheSameAdmissionAndHoldsOnePlace() {
        String team = team();
        String first = UUID.randomUUID().toString();

        Views.AdmissionView once = admit(team, first);
        Views.AdmissionView again = admit(team, first);

        assertThat(once.admitted()).isTrue();
        assertThat(again).isEqualTo(once);
        assertThat(admit(team, UUID.randomUUID().toString()).admitted()).as("the second place is free").isTrue();
        assertThat(admit(team, UUID.randomUUID().toString()).admitted()).as("and now both are taken").isFalse();
    }

    @Test
    void anExpiredReservationFreesItsPlace() throws Throwable {
        String team = team();
        String lapsing = UUID.randomUUID().toString();
        assertThat(admit(team, lapsing).admitted()).isTrue();
        assertThat(admit(team, UUID.randomUUID().toString()).admitted()).isTrue();
        String waiting = UUID.randomUUID().toString();
        assertThat(admit(team, waiting).admitted()).isFalse();

        // The gateway that asked never published its StudyCreated: its reservation runs out (moved into the past
        // here rather than waited for).
        VertxContextSupport.subscribeAndAwait(() -> sessions.withTransaction(session -> session.createNativeQuery(
                        "update admission_reservation set expires_at = expires_at - interval '1 day'"
                                + " where study_id = :study")
                .setParameter("study", lapsing).executeUpdate()));

        assertThat(admit(team, waiting).admitted()).isTrue();
    }

    @Test
    void aStoredStudyCreatedTurnsItsReservationIntoAnActiveStudyWithoutCountingItTwice() throws Throwable {
        String team = team();
        String created = SampleEvents.newStudyId();
        assertThat(admit(team, created).admitted()).isTrue();

        EventEnvelope sample = SampleEvents.studyCreated(created);
        EventEnvelope event = new EventEnvelope(sample.eventId(), created, team, Instant.now(), null,
                sample.correlationId(), sample.producer(), (StudyCreated) sample.payload());
        VertxContextSupport.subscribeAndAwait(() -> recorder.record(List.of(event)));

        Long held = VertxContextSupport.subscribeAndAwait(() -> sessions.withSession(session -> session
                .createNativeQuery("select count(*) from admission_reservation where study_id = :study", Long.class)
                .setParameter("study", created).getSingleResult()));
        assertThat(held).as("the reservation went with the StudyCreated that took its place").isZero();
        assertThat(client.answer(new Query.GetTeamUsage(team, Instant.EPOCH), Views.TeamUsageView.class)
                .activeStudies()).isEqualTo(1);
        assertThat(admit(team, UUID.randomUUID().toString()).admitted()).as("one study, one place left").isTrue();
        Views.AdmissionView refused = admit(team, UUID.randomUUID().toString());
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.status()).isEqualTo(429);
    }

    @Test
    void aStudyAskingForMoreThanTheDailyQuotaIsForbidden() {
        Views.AdmissionView refused = client.answer(new Query.AdmitStudy(team(), UUID.randomUUID().toString(),
                PER_DAY + 1, CONCURRENT, PER_DAY), Views.AdmissionView.class);

        assertThat(refused.admitted()).isFalse();
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.retryAfterSeconds()).isNull();
        assertThat(refused.reservedUntil()).isNull();
    }

    @Test
    void aTeamsOwnQuotaOverridesTheDefaults() throws Throwable {
        String team = team();
        VertxContextSupport.subscribeAndAwait(() -> recorder.record(List.of(
                StudyScript.quota(team, 1, 50, "alice-admin", Instant.now()))));

        assertThat(admit(team, UUID.randomUUID().toString()).admitted()).isTrue();
        Views.AdmissionView refused = admit(team, UUID.randomUUID().toString());
        assertThat(refused.admitted()).as("the team's quota is 1, not the default 2").isFalse();
        assertThat(refused.detail()).contains("quota 1");
    }
}
