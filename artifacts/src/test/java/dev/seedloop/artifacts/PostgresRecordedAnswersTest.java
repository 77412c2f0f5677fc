package dev.seedloop.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The records on the real PostgreSQL, migrated by {@link ArtifactSchema}, as the application role. */
class PostgresRecordedAnswersTest extends RecordedAnswersContract {

    private final PostgresArtifactStore store = new PostgresArtifactStore(TestDatabase.application());
    private final PostgresRecordedAnswers answers = new PostgresRecordedAnswers(TestDatabase.application());

    @Override
    RecordedAnswers answers() {
        return answers;
    }

    @Override
    ArtifactStore store() {
        return store;
    }

    @Test
    void aRecordWhoseAnswerIsNotAStoredBlobIsRefusedAndNothingIsRecorded() {
        String key = freshKey();
        RecordedAnswer dangling = new RecordedAnswer("small", "vendor-small-1", store.putText("a prompt").hash(),
                freshKey(), 1, 1);

        assertThatThrownBy(() -> answers.record("team-a", key, dangling))
                .isInstanceOf(ArtifactStoreException.class).hasMessageContaining(key);

        assertThat(answers.find("team-a", key)).isEmpty();
    }

    @Test
    void concurrentRecordersOfOneKeyAllGetTheOneRecordThatWon() throws Exception {
        String key = freshKey();
        int recorders = 4;
        List<RecordedAnswer> candidates = new ArrayList<>();
        for (int i = 0; i < recorders; i++) {
            candidates.add(answer("candidate " + i, i, i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(recorders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RecordedAnswer>> results = new ArrayList<>();
            for (RecordedAnswer candidate : candidates) {
                results.add(pool.submit(() -> {
                    start.await();
                    return answers.record("team-a", key, candidate);
                }));
            }
            start.countDown();
            List<RecordedAnswer> got = new ArrayList<>();
            for (Future<RecordedAnswer> result : results) {
                got.add(result.get(1, TimeUnit.MINUTES));
            }
            RecordedAnswer winner = answers.find("team-a", key).orElseThrow();
            assertThat(got).containsOnly(winner);
            assertThat(candidates).contains(winner);
        } finally {
            pool.shutdownNow();
        }
        try (Connection connection = TestDatabase.superuser();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from artifacts.recorded_answer where key = ?")) {
            count.setString(1, key);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void theApplicationRoleCannotChangeARecord() throws Exception {
        String key = freshKey();
        answers.record("team-a", key, answer("kept", 1, 1));
        try (Connection connection = TestDatabase.application().getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update artifacts.recorded_answer set tokens_out = 0 where key = ?")) {
            update.setString(1, key);
            assertThatThrownBy(update::executeUpdate).hasMessageContaining("permission denied");
        }
    }
}
