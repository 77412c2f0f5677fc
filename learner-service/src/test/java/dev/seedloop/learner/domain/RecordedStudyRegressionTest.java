package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.Services;
import dev.seedloop.events.TeamQuotaSet;
import dev.seedloop.events.TeamStreams;
import dev.seedloop.learner.projection.application.StateJson;
import dev.seedloop.learner.query.application.postmortem.PostmortemBuilder;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.learner.projection.persistence.SnapshotCodec;
import dev.seedloop.learner.query.domain.ExperimentLogs;
import dev.seedloop.learner.query.domain.StudyViews;

/**
 * A recorded study replayed through today's code, compared byte for byte with what the code computed when it was
 * recorded: the safety net of every refactoring of the learner's fold (issue #12).
 *
 * <p>The study ({@code src/test/resources/regression/study.jsonl}, envelopes as {@link EventCodec} writes them, in
 * the order the learner received them) is a {@link StudySimulation}: a fork of another study under manual
 * promotion, with failed experiments, rejected proposals, a pause and a resume, approvals and rejections, one
 * delivery in ten repeated, a team-stream event, run until its budget is spent. {@code delivered-at.txt} holds the
 * {@code now} of each delivery. The goldens:
 * <ul>
 *   <li>{@code state-final.json}: {@link StateJson} of the state after the last event;</li>
 *   <li>{@code states.sha256}: per delivery, the SHA-256 of the state JSON after it (by {@code evolve});</li>
 *   <li>{@code snapshot-N.bin}: {@link SnapshotCodec}'s bytes at a few sequences (the codec's layout, in files of
 *       their own: a layout change re-records them and nothing else);</li>
 *   <li>{@code views.json}: the study and lineage views, an experiment's log and the postmortem;</li>
 *   <li>{@code decisions.jsonl}: per delivery, what the decider said (in a file of its own, since a change of the
 *       decision rules changes it and nothing else).</li>
 * </ul>
 *
 * <p>A normal run only compares. {@code -Dseedloop.regression.record=all} simulates the study again and writes the
 * fixture and every golden; {@code =decisions} rewrites only {@code decisions.jsonl} from the stored fixture (after a
 * deliberate change of the decision rules); {@code =snapshots} only the snapshot files (after a deliberate change
 * of the snapshot layout). Run it from the module directory.
 */
class RecordedStudyRegressionTest {

    private static final Path DIR = Path.of("src/test/resources/regression");
    private static final String RECORD = System.getProperty("seedloop.regression.record", "");
    /** Store sequences (first deliveries, team stream excluded) whose snapshot bytes are kept. */
    private static final List<Long> SNAPSHOT_SEQUENCES = List.of(1L, 40L, 150L);

    private final EventCodec codec = new EventCodec();
    private final QueryCodec queries = new QueryCodec();

    /** Everything today's code computes from the fixture. */
    private record Outputs(String finalState, String stateHashes, String decisions, Map<Long, byte[]> snapshots,
                           String views) {
    }

    @Test
    void todaysCodeReproducesTheRecordedStudy() throws IOException {
        if (RECORD.equals("all")) {
            recordFixture();
        }
        List<EventEnvelope> delivered = readFixture();
        List<Instant> deliveredAt = Files.readAllLines(DIR.resolve("delivered-at.txt")).stream()
                .map(Instant::parse).toList();
        assertThat(deliveredAt).hasSameSizeAs(delivered);
        Outputs out = compute(delivered, deliveredAt);

        if (RECORD.equals("all") || RECORD.equals("goldens")) {
            write("state-final.json", out.finalState());
            write("states.sha256", out.stateHashes());
            write("views.json", out.views());
        }
        if (RECORD.equals("all") || RECORD.equals("goldens") || RECORD.equals("decisions")) {
            write("decisions.jsonl", out.decisions());
        }
        if (RECORD.equals("all") || RECORD.equals("goldens") || RECORD.equals("snapshots")) {
            for (Map.Entry<Long, byte[]> s : out.snapshots().entrySet()) {
                Files.write(DIR.resolve("snapshot-" + s.getKey() + ".bin"), s.getValue());
            }
        }

        assertThat(out.finalState()).isEqualTo(read("state-final.json"));
        assertThat(out.stateHashes()).isEqualTo(read("states.sha256"));
        assertThat(out.views()).isEqualTo(read("views.json"));
        assertThat(out.decisions()).isEqualTo(read("decisions.jsonl"));
        for (Map.Entry<Long, byte[]> s : out.snapshots().entrySet()) {
            assertThat(s.getValue()).as("snapshot at %d", s.getKey())
                    .isEqualTo(Files.readAllBytes(DIR.resolve("snapshot-" + s.getKey() + ".bin")));
        }
    }

    /**
     * A snapshot of the layout before the study state was split (format 2, recorded at sequence 150) is refused as
     * another format, so a replay skips it (StudyReplay reads only rows of the current format_version) and folds
     * from an earlier one or the first event instead.
     */
    @Test
    void aSnapshotOfTheFormatBeforeTheSplitIsRefused() throws IOException {
        byte[] format2 = Files.readAllBytes(DIR.resolve("snapshot-format2-150.bin"));

        assertThat(java.nio.ByteBuffer.wrap(format2).getInt(4)).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SnapshotCodec.decode(format2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapshot format 2, this learner reads " + SnapshotCodec.FORMAT_VERSION);
    }

    /** The recorded study is the one its description says, so that the goldens cover what they claim to. */
    @Test
    void theRecordedStudyHasEveryKindOfEvent() throws IOException {
        List<EventEnvelope> delivered = readFixture();
        List<String> types = delivered.stream().map(e -> e.payload().getClass().getSimpleName()).distinct().toList();
        assertThat(types).contains("StudyCreated", "ProposalCreated", "ProposalRejected", "ExperimentStarted",
                "ExperimentCompleted", "ExperimentFailed", "EvaluationCompleted", "PromotionRequested",
                "PromotionApproved", "PromotionRejected", "ChampionChanged", "StudyPaused", "StudyResumed",
                "StrategyUpdated", "StudyCompleted", "TeamQuotaSet");
        assertThat(delivered.stream().map(EventEnvelope::eventId).distinct().count())
                .as("redeliveries").isLessThan(delivered.size());
        assertThat(delivered.stream().filter(e -> TeamStreams.isTeamStream(e.studyId())).count()).isEqualTo(1);
        assertThat(delivered.getFirst().payload()).isInstanceOfSatisfying(dev.seedloop.events.StudyCreated.class,
                c -> {
                    assertThat(c.origin()).as("a fork").isNotNull();
                    assertThat(c.promotion()).isEqualTo(PromotionPolicy.MANUAL);
                });
    }

    private Outputs compute(List<EventEnvelope> delivered, List<Instant> deliveredAt) {
        StudyDecider decider = Deciders.DEFAULT;
        LearnerState state = decider.initial();
        StringBuilder hashes = new StringBuilder();
        StringBuilder decisions = new StringBuilder();
        List<EventEnvelope> stored = new ArrayList<>();
        List<Instant> storedAt = new ArrayList<>();
        Map<Long, byte[]> snapshots = new LinkedHashMap<>();
        for (int i = 0; i < delivered.size(); i++) {
            EventEnvelope e = delivered.get(i);
            LearnerState before = state;
            state = decider.evolve(before, e);
            List<EventEnvelope> said = decider.decide(before, state, e, deliveredAt.get(i));
            decisions.append(i).append(' ').append(json(said)).append('\n');
            hashes.append(i).append(' ').append(sha256(StateJson.write(state))).append('\n');
            if (!before.study().hasSeen(e.eventId()) && !TeamStreams.isTeamStream(e.studyId())) {
                stored.add(e);
                storedAt.add(deliveredAt.get(i));
                if (SNAPSHOT_SEQUENCES.contains((long) stored.size())) {
                    snapshots.put((long) stored.size(), SnapshotCodec.encode(state.study(), state.strategy()));
                }
            }
        }
        StudyState study = state.study();
        String finalState = StateJson.write(state);

        // The replay path folds the stored log to the same state, and from any snapshot too.
        LearnerFold replay = decider.fold();
        delivered.forEach(replay::apply);
        assertThat(StateJson.write(replay.study(), replay.strategy())).as("replay = live").isEqualTo(finalState);
        for (Map.Entry<Long, byte[]> s : snapshots.entrySet()) {
            SnapshotCodec.Snapshot snapshot = SnapshotCodec.decode(s.getValue());
            LearnerFold tail = decider.fold(snapshot.state());
            stored.subList(s.getKey().intValue(), stored.size()).forEach(tail::apply);
            assertThat(StateJson.write(tail.study(), tail.strategy())).as("from snapshot %d", s.getKey())
                    .isEqualTo(finalState);
        }

        PostmortemBuilder postmortem = new PostmortemBuilder(study.studyId());
        for (int i = 0; i < stored.size(); i++) {
            postmortem.accept(stored.get(i), i + 1, storedAt.get(i));
        }
        UUID experiment = stored.stream().filter(e -> e.payload() instanceof ExperimentStarted).findFirst()
                .map(e -> ((ExperimentStarted) e.payload()).experimentId()).orElseThrow();
        String views = view("study", StudyViews.study(study)) + view("lineage", StudyViews.lineage(study))
                + view("lineage-page", StudyViews.lineage(study, 3, 5))
                + view("experiment-log", ExperimentLogs.view(experiment, stored).orElseThrow())
                + view("postmortem", postmortem.build());
        return new Outputs(finalState, hashes.toString(), decisions.toString(), snapshots, views);
    }

    private String view(String name, Object view) {
        return name + ' ' + new String(queries.encode(queries.ok(view)), StandardCharsets.UTF_8) + '\n';
    }

    private String json(List<EventEnvelope> events) {
        List<String> encoded = events.stream().map(codec::encodeToString).toList();
        return "[" + String.join(",", encoded) + "]";
    }

    /** The simulation, written once: see the class comment. */
    private void recordFixture() throws IOException {
        EventEnvelope quota = new EventEnvelope(EventIds.derived(UUID.fromString(
                "00000000-0000-7000-8000-0000000000aa"), "team-quota"), TeamStreams.streamId("team"), "team",
                Instant.parse("2026-03-01T00:00:30Z"), null, UUID.fromString("00000000-0000-7000-8000-0000000000ab"),
                Services.GATEWAY, new TeamQuotaSet(3, 200, "admin"));
        StudySimulation.Run run = new StudySimulation.Simulation(12, PromotionPolicy.MANUAL).forkOf(6)
                .rejectingOneIn(9).withTeamEvent(quota).run(40, 3, 12L);
        Files.createDirectories(DIR);
        StringBuilder lines = new StringBuilder();
        run.delivered().forEach(e -> lines.append(codec.encodeToString(e)).append('\n'));
        write("study.jsonl", lines.toString());
        StringBuilder at = new StringBuilder();
        run.deliveredAt().forEach(t -> at.append(t).append('\n'));
        write("delivered-at.txt", at.toString());
    }

    private List<EventEnvelope> readFixture() throws IOException {
        return Files.readAllLines(DIR.resolve("study.jsonl")).stream().map(codec::decode).toList();
    }

    private static String read(String name) throws IOException {
        return Files.readString(DIR.resolve(name));
    }

    private static void write(String name, String text) throws IOException {
        Files.writeString(DIR.resolve(name), text);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
