package dev.seedloop.learner.projection.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.learner.StudyScript;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.projection.persistence.ReadModels;
import dev.seedloop.learner.projection.persistence.StudySummaryEntity;
import dev.seedloop.learner.projection.persistence.TeamQuotaEntity;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/** The read models follow the store in the appending transaction, and can be rebuilt from it. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ReadModelBackfillTest {

    @Inject
    EventRecorder recorder;

    @Inject
    ReadModels readModels;

    @Inject
    ReadModelBackfill rebuild;

    @Inject
    Mutiny.SessionFactory sessions;

    @Test
    void deletedRowsAreRebuiltFromTheStoreAsTheyWere() throws Throwable {
        String team = "rebuild-" + UUID.randomUUID();
        StudyScript s = new StudyScript(team, Instant.now());
        await(() -> recorder.record(List.of(s.created(PromotionPolicy.MANUAL, "alice").event(),
                s.proposed(0, "random", List.of()).event(), s.started(0).event(), s.evaluatedChampion(0, 0.5).event(),
                s.paused("carol", "lunch").event(),
                StudyScript.quota(team, 2, 9, "old-admin", s.t0), StudyScript.quota(team, 3, 10, "admin", s.t0))));
        StudySummaryEntity live = summary(team);
        TeamQuotaEntity liveQuota = await(() -> readModels.quota(team));
        assertThat(live.status).isEqualTo("paused");
        // 5 study events, the learner's first request and the request its evaluation led to.
        assertThat(live.lastSequence).isEqualTo(7);
        assertThat(liveQuota.maxExperimentsPerDay).isEqualTo(10);

        await(() -> sessions.withTransaction(session -> session.createNativeQuery(
                        "delete from study_summary where team = :team").setParameter("team", team).executeUpdate()
                .chain(() -> session.createNativeQuery("delete from team_quota where team = :team")
                        .setParameter("team", team).executeUpdate())));
        assertThat(await(() -> readModels.studies(team, null, 0, 10)).rows()).isEmpty();

        int rebuilt = await(rebuild::rebuildMissing);

        assertThat(rebuilt).isGreaterThanOrEqualTo(2);
        assertThat(summary(team)).usingRecursiveComparison().ignoringFields("updatedAt").isEqualTo(live);
        assertThat(await(() -> readModels.quota(team))).usingRecursiveComparison().isEqualTo(liveQuota);
        assertThat(await(rebuild::rebuildMissing)).as("nothing left to rebuild").isZero();
    }

    private StudySummaryEntity summary(String team) throws Throwable {
        List<StudySummaryEntity> rows = await(() -> readModels.studies(team, null, 0, 10)).rows();
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }

    private static <T> T await(Supplier<Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(work);
    }
}
