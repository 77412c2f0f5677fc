package dev.seedloop.artifacts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The default {@link RecordedAnswers}: table {@code artifacts.recorded_answer} (migration
 * {@code db/artifacts/V2__recorded_answers.sql}), keyed by team and key, its prompt and answer foreign keys to stored
 * blobs. Needs only SELECT and INSERT, like the store: a record is never changed.
 */
public final class PostgresRecordedAnswers implements RecordedAnswers {

    private final DataSource dataSource;

    public PostgresRecordedAnswers(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Optional<RecordedAnswer> find(String team, String key) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("select model, model_id, prompt_hash,"
                        + " answer_hash, tokens_in, tokens_out from artifacts.recorded_answer where team = ? and key = ?")) {
            query.setString(1, team);
            query.setString(2, key);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RecordedAnswer(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getLong(5), rs.getLong(6)));
            }
        } catch (SQLException e) {
            throw new ArtifactStoreException("could not read the recorded answer " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public RecordedAnswer record(String team, String key, RecordedAnswer answer) {
        RecordedAnswers.checkKey(team, key);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into artifacts.recorded_answer"
                        + " (team, key, model, model_id, prompt_hash, answer_hash, tokens_in, tokens_out)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
            insert.setString(1, team);
            insert.setString(2, key);
            insert.setString(3, answer.model());
            insert.setString(4, answer.modelId());
            insert.setString(5, answer.promptHash());
            insert.setString(6, answer.answerHash());
            insert.setLong(7, answer.tokensIn());
            insert.setLong(8, answer.tokensOut());
            if (insert.executeUpdate() == 1) {
                return answer;
            }
        } catch (SQLException e) {
            throw new ArtifactStoreException("could not record the answer " + key + ": " + e.getMessage(), e);
        }
        // Another recorder was first; its answer is the record.
        return find(team, key).orElseThrow(() -> new ArtifactStoreException(
                "the answer " + key + " was neither inserted nor found", null));
    }
}
