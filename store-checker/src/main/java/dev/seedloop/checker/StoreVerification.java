package dev.seedloop.checker;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Every invariant of a finished run, in one go: the store's five ({@link StoreChecker#checkStore}), every event on
 * the topics stored ({@link TopicsCheck}), then replay from
 * zero against live state for every study ({@link ReplayCheck}), then a full projection rebuild compared row for row
 * with the projections before it. Run it once every study has ended: the rebuild holds the learner's append lock.
 */
public final class StoreVerification {

    private StoreVerification() {
    }

    public static CheckReport run(StoreChecker store, LearnerEndpoints learner, String kafka, PrintStream progress)
            throws SQLException, IOException, InterruptedException {
        return run(store, learner, kafka, null, progress);
    }

    /**
     * @param only the studies whose replay and projection rows are compared, when others may still be running in the
     *             same store (the system tests' shared one); null for every study and every projection row. The
     *             store's own invariants are checked store-wide either way.
     */
    public static CheckReport run(StoreChecker store, LearnerEndpoints learner, String kafka, Collection<String> only,
            PrintStream progress) throws SQLException, IOException, InterruptedException {
        progress.println("checking the event store ...");
        CheckReport report = store.checkStore();
        progress.println("reading the event topics to their ends ...");
        report = report.with(TopicsCheck.run(kafka, store, only));
        List<String> studies = only == null ? store.studies() : List.copyOf(only);
        progress.println("replaying " + studies.size() + " studies from zero against the learner's live state ...");
        report = report.with(ReplayCheck.run(studies, learner));
        Map<String, String> before = rows(store, only);
        progress.println("rebuilding the projections (" + before.size() + " rows, sha256:"
                + StoreChecker.hash(before).substring(0, 12) + ") ...");
        progress.println("  learner: " + learner.rebuildProjections());
        return report.with(StoreChecker.projectionsEqual(before, rows(store, only)));
    }

    private static Map<String, String> rows(StoreChecker store, Collection<String> only) throws SQLException {
        Map<String, String> rows = store.projectionRows();
        if (only != null) {
            rows.keySet().removeIf(key -> only.stream().noneMatch(study -> key.equals("study_summary " + study)));
        }
        return rows;
    }

    /**
     * {@code java -cp ... dev.seedloop.checker.StoreVerification JDBC_URL USER PASSWORD LEARNER_URL KAFKA_BOOTSTRAP}:
     * exit 0 or 1.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: StoreVerification JDBC_URL USER PASSWORD LEARNER_URL KAFKA_BOOTSTRAP");
            System.exit(2);
        }
        CheckReport report = run(new StoreChecker(args[0], args[1], args[2]), new LearnerEndpoints(URI.create(args[3])),
                args[4], System.out);
        System.out.println(report);
        System.exit(report.passed() ? 0 : 1);
    }
}
