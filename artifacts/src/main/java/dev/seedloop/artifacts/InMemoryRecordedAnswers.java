package dev.seedloop.artifacts;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link RecordedAnswers} in memory, for tests of the modules that use them; otherwise like the PostgreSQL one. */
public final class InMemoryRecordedAnswers implements RecordedAnswers {

    private final Map<String, RecordedAnswer> records = new ConcurrentHashMap<>();

    @Override
    public Optional<RecordedAnswer> find(String team, String key) {
        return Optional.ofNullable(records.get(team + "\n" + key));
    }

    @Override
    public RecordedAnswer record(String team, String key, RecordedAnswer answer) {
        RecordedAnswers.checkKey(team, key);
        RecordedAnswer earlier = records.putIfAbsent(team + "\n" + key, answer);
        return earlier != null ? earlier : answer;
    }

    /** How many answers are recorded, over all teams. */
    public int size() {
        return records.size();
    }
}
