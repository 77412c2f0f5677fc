package dev.seedloop.checker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.seedloop.events.EventTypes;

/**
 * The loop's invariants, read from the learner's event store with plain JDBC (the schema of the learner's Flyway
 * migrations, {@code learner-service/src/main/resources/db/migration}). Each check is one query whose rows are its
 * offenders, so a failure names the study, proposal or event ids to look at. It only reads; run it when nothing is
 * being recorded (every study finished), or a study in the middle of a step can look like an offender.
 *
 * <p>Payload fields are read from the stored envelope's JSON ({@code envelope::jsonb}) rather than decoded into the
 * contract's records: the check must also judge what the codec would refuse.
 */
public final class StoreChecker {

    static final String ONE_OUTCOME = "every-proposal-has-one-outcome";
    static final String ONE_EVALUATION = "at-most-one-evaluation-per-proposal";
    static final String UNIQUE_EVENT_IDS = "no-event-id-twice";
    static final String NO_SEQUENCE_GAP = "no-gap-in-study-sequences";
    static final String BUDGETS = "budgets-never-exceeded";
    static final String PROJECTIONS = "projections-equal-after-rebuild";

    private final String jdbcUrl;
    private final String user;
    private final String password;

    public StoreChecker(String jdbcUrl, String user, String password) {
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl);
        this.user = user;
        this.password = password;
    }

    /** The five invariants the store alone answers, in one read-only transaction (one snapshot of the store). */
    public CheckReport checkStore() throws SQLException {
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            db.setReadOnly(true);
            db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            List<CheckResult> results = List.of(oneOutcome(db), oneEvaluation(db), uniqueEventIds(db),
                    noSequenceGap(db), budgets(db));
            db.rollback();
            return new CheckReport(results);
        }
    }

    /**
     * Every proposal has exactly one outcome (ExperimentCompleted or ExperimentFailed): never two, never an outcome of
     * a proposal the study does not have, and none missing in a study that ended on its budget (every proposal it
     * made counted against that budget). A study that ended otherwise (target, wall time, halt) may leave proposals
     * that were in flight without one.
     */
    static CheckResult oneOutcome(Connection db) throws SQLException {
        String sql = """
                with proposals as (
                    select study_id, envelope::jsonb -> 'payload' ->> 'proposalId' as proposal
                    from event_store where event_type = '%s'),
                outcomes as (
                    select study_id, envelope::jsonb -> 'payload' ->> 'proposalId' as proposal, count(*) as n,
                           string_agg(event_id::text, ',' order by study_sequence) as ids
                    from event_store where event_type in ('%s', '%s') group by 1, 2),
                budget_ends as (
                    select distinct study_id from event_store
                    where event_type = '%s' and envelope::jsonb -> 'payload' ->> 'reason' = 'budget-exhausted')
                select 'study ' || p.study_id || ' proposal ' || p.proposal || ': ' || o.n || ' outcomes (' || o.ids || ')'
                from proposals p join outcomes o using (study_id, proposal) where o.n > 1
                union all
                select 'study ' || p.study_id || ' proposal ' || p.proposal || ': no outcome, the study ended on its budget'
                from proposals p join budget_ends b using (study_id)
                where not exists (select 1 from outcomes o where o.study_id = p.study_id and o.proposal = p.proposal)
                union all
                select 'study ' || o.study_id || ' proposal ' || o.proposal || ': outcome (' || o.ids
                       || ') of a proposal the study never made'
                from outcomes o
                where not exists (select 1 from proposals p where p.study_id = o.study_id and p.proposal = o.proposal)
                order by 1
                """.formatted(EventTypes.PROPOSAL_CREATED, EventTypes.EXPERIMENT_COMPLETED,
                EventTypes.EXPERIMENT_FAILED, EventTypes.STUDY_COMPLETED);
        return new CheckResult(ONE_OUTCOME, "every proposal has exactly one outcome (ExperimentCompleted or "
                + "ExperimentFailed); none missing where the study ended on its budget", lines(db, sql));
    }

    /** No proposal is evaluated twice: the evaluator's ids are derived from the experiment, so a redelivery is not new. */
    static CheckResult oneEvaluation(Connection db) throws SQLException {
        String sql = """
                select 'study ' || study_id || ' proposal ' || (envelope::jsonb -> 'payload' ->> 'proposalId') || ': '
                       || count(*) || ' evaluations (' || string_agg(event_id::text, ',' order by study_sequence) || ')'
                from event_store where event_type = '%s'
                group by study_id, envelope::jsonb -> 'payload' ->> 'proposalId' having count(*) > 1 order by 1
                """.formatted(EventTypes.EVALUATION_COMPLETED);
        return new CheckResult(ONE_EVALUATION, "every proposal has at most one EvaluationCompleted", lines(db, sql));
    }

    /**
     * No event is stored twice: never within a study, and never in two studies unless all but one of them are
     * imported copies (ADR 0010: a copy keeps the original's event ids; it is recognisable as a study whose
     * StudyCreated's event id is not its study id, which the gateway makes equal for every study it creates).
     */
    static CheckResult uniqueEventIds(Connection db) throws SQLException {
        String sql = """
                with originals as (
                    select study_id from event_store where event_type = '%s' and event_id::text = study_id),
                stored as (
                    select e.event_id, e.study_id, e.global_position, o.study_id is not null as original
                    from event_store e left join originals o using (study_id))
                select 'event ' || event_id || ' stored ' || count(*) || ' times (studies '
                       || string_agg(study_id, ',' order by global_position) || '; positions '
                       || string_agg(global_position::text, ',' order by global_position) || ')'
                from stored group by event_id
                having count(*) > count(distinct study_id) or count(*) filter (where original) > 1
                order by 1
                """.formatted(EventTypes.STUDY_CREATED);
        return new CheckResult(UNIQUE_EVENT_IDS, "no event id is stored twice (imported copies aside)",
                lines(db, sql));
    }

    /** Each study's sequences are 1, 2, ..., n: no gap, no number twice, and store positions gap-free too. */
    static CheckResult noSequenceGap(Connection db) throws SQLException {
        String sql = """
                select 'study ' || study_id || ': ' || count(*) || ' events but sequences ' || min(study_sequence)
                       || '..' || max(study_sequence) || ' with ' || count(distinct study_sequence) || ' distinct'
                       || coalesce('; missing ' || (
                           select string_agg(s::text, ',' order by s) from (
                               select s from generate_series(1, max(e.study_sequence)) s
                               except select study_sequence from event_store x where x.study_id = e.study_id) m
                           having count(*) <= 20), '')
                from event_store e group by study_id
                having min(study_sequence) <> 1 or max(study_sequence) <> count(*)
                    or count(distinct study_sequence) <> count(*)
                union all
                select 'store: ' || count(*) || ' events but global positions ' || min(global_position) || '..'
                       || max(global_position)
                from event_store having count(*) > 0 and (min(global_position) <> 1 or max(global_position) <> count(*))
                order by 1
                """;
        return new CheckResult(NO_SEQUENCE_GAP, "every study's sequence is 1..n without a gap or a repeat, and so "
                + "are the store's global positions", lines(db, sql));
    }

    /**
     * No study ran more experiments than its budget allowed: distinct proposals started, outcomes and evaluations
     * each at most {@code budget.maxExperiments}; proposals made at most that plus the rejected ones (a rejected
     * proposal's slot is asked for again, ADR 0021); and the completion's {@code experimentsRun} within it.
     */
    static CheckResult budgets(Connection db) throws SQLException {
        String sql = """
                with budgets as (
                    select study_id, (envelope::jsonb -> 'payload' -> 'budget' ->> 'maxExperiments')::int as max_experiments
                    from event_store where event_type = '%1$s'),
                counts as (
                    select study_id,
                           count(distinct envelope::jsonb -> 'payload' ->> 'proposalId')
                               filter (where event_type = '%2$s') as proposals,
                           count(*) filter (where event_type = '%3$s') as rejected,
                           count(distinct envelope::jsonb -> 'payload' ->> 'proposalId')
                               filter (where event_type = '%4$s') as started,
                           count(distinct envelope::jsonb -> 'payload' ->> 'proposalId')
                               filter (where event_type in ('%5$s', '%6$s')) as outcomes,
                           count(distinct envelope::jsonb -> 'payload' ->> 'proposalId')
                               filter (where event_type = '%7$s') as evaluations,
                           max((envelope::jsonb -> 'payload' ->> 'experimentsRun')::int)
                               filter (where event_type = '%8$s') as experiments_run
                    from event_store group by study_id)
                select 'study ' || study_id || ': budget ' || max_experiments || ' experiments, but ' || proposals
                       || ' proposals (' || rejected || ' rejected), ' || started || ' started, ' || outcomes
                       || ' outcomes, ' || evaluations || ' evaluations, experimentsRun ' || coalesce(experiments_run::text, '-')
                from budgets join counts using (study_id)
                where proposals > max_experiments + rejected or started > max_experiments or outcomes > max_experiments
                   or evaluations > max_experiments or coalesce(experiments_run, 0) > max_experiments
                order by 1
                """.formatted(EventTypes.STUDY_CREATED, EventTypes.PROPOSAL_CREATED, EventTypes.PROPOSAL_REJECTED,
                EventTypes.EXPERIMENT_STARTED, EventTypes.EXPERIMENT_COMPLETED, EventTypes.EXPERIMENT_FAILED,
                EventTypes.EVALUATION_COMPLETED, EventTypes.STUDY_COMPLETED);
        return new CheckResult(BUDGETS, "no study made, started, finished or evaluated more experiments than "
                + "budget.maxExperiments allows", lines(db, sql));
    }

    /**
     * The projections' rows (study_summary without its database-time {@code updated_at}, team_quota), each hashed,
     * by key. Snapshots are left out: a rebuild drops them and replays write them again later (ADR 0012).
     */
    public Map<String, String> projectionRows() throws SQLException {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection db = connect()) {
            db.setReadOnly(true);
            collect(db, """
                    select 'study_summary ' || study_id, concat_ws('|', study_id, team, name, status,
                           to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), created_by,
                           max_experiments, budget_used, champion_value, last_sequence)
                    from study_summary order by study_id
                    """, rows);
            collect(db, """
                    select 'team_quota ' || team, concat_ws('|', team, max_concurrent_studies, max_experiments_per_day,
                           set_by, to_char(set_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'))
                    from team_quota order by team
                    """, rows);
        }
        return rows;
    }

    /** One hash of all projection rows: what {@link #projectionsEqual} compares, short enough to print. */
    public static String hash(Map<String, String> rows) {
        return sha256(String.join("\n", rows.values()));
    }

    /** The projections after a rebuild must be the ones before it, row for row: offenders are the rows that differ. */
    public static CheckResult projectionsEqual(Map<String, String> before, Map<String, String> after) {
        List<String> offenders = new ArrayList<>();
        for (Map.Entry<String, String> row : before.entrySet()) {
            String rebuilt = after.get(row.getKey());
            if (rebuilt == null) {
                offenders.add(row.getKey() + ": gone after the rebuild (was " + row.getValue() + ")");
            } else if (!rebuilt.equals(row.getValue())) {
                offenders.add(row.getKey() + ": " + row.getValue() + " before, " + rebuilt + " after");
            }
        }
        after.keySet().stream().filter(key -> !before.containsKey(key))
                .forEach(key -> offenders.add(key + ": new after the rebuild (" + after.get(key) + ")"));
        return new CheckResult(PROJECTIONS, "the projections hash-equal before (" + hash(before).substring(0, 12)
                + ") and after (" + hash(after).substring(0, 12) + ") a full rebuild from the store", offenders);
    }

    /** Every study in the store, oldest first. */
    public List<String> studies() throws SQLException {
        try (Connection db = connect()) {
            return lines(db, "select study_id from event_store group by study_id order by min(global_position)");
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    private static List<String> lines(Connection db, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines;
    }

    private static void collect(Connection db, String sql, Map<String, String> into) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                into.put(rows.getString(1), rows.getString(2));
            }
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
