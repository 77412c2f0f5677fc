package dev.seedloop.learner.projection.persistence;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.seedloop.events.EventTypes;
import dev.seedloop.learner.store.persistence.StoredEventEntity;
import io.smallrye.mutiny.Uni;

/**
 * The derived tables {@code study_summary} and {@code team_quota} (V2__read_models.sql), and dropping every
 * derived table at once (with {@code study_snapshot}, V3) for a full rebuild.
 *
 * <p>Writes happen in the appending transaction, one statement per table per batch however many rows:
 * the rows travel as one JSON array that PostgreSQL unpacks ({@code jsonb_to_recordset}), so a batch
 * touching hundreds of studies still costs one round trip. The parameter is declared text: bound to a
 * jsonb parameter, the driver would send a Java string as a JSON string. Reads open their own session.
 */
@ApplicationScoped
public class ReadModels {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final String UPSERT_STUDIES = """
            insert into study_summary (study_id, team, name, status, created_at, created_by, max_experiments,
                                       budget_used, champion_value, last_sequence, updated_at)
            select r.study_id, r.team, r.name, r.status, r.created_at, r.created_by, r.max_experiments,
                   r.budget_used, r.champion_value, r.last_sequence, now()
            from jsonb_to_recordset(cast(cast(:rows as text) as jsonb)) as r(study_id text, team text, name text, status text,
                 created_at timestamptz, created_by text, max_experiments integer, budget_used integer,
                 champion_value double precision, last_sequence bigint)
            on conflict (study_id) do update set team = excluded.team, name = excluded.name,
                status = excluded.status, created_at = excluded.created_at, created_by = excluded.created_by,
                max_experiments = excluded.max_experiments, budget_used = excluded.budget_used,
                champion_value = excluded.champion_value, last_sequence = excluded.last_sequence,
                updated_at = excluded.updated_at
            where study_summary.last_sequence <= excluded.last_sequence
            """;

    private static final String UPSERT_QUOTAS = """
            insert into team_quota (team, max_concurrent_studies, max_experiments_per_day, set_by, set_at)
            select r.team, r.max_concurrent_studies, r.max_experiments_per_day, r.set_by, r.set_at
            from jsonb_to_recordset(cast(cast(:rows as text) as jsonb)) as r(team text, max_concurrent_studies integer,
                 max_experiments_per_day integer, set_by text, set_at timestamptz)
            on conflict (team) do update set max_concurrent_studies = excluded.max_concurrent_studies,
                max_experiments_per_day = excluded.max_experiments_per_day, set_by = excluded.set_by,
                set_at = excluded.set_at
            """;

    /** How many rows a full rebuild dropped from each derived table. */
    public record Dropped(int summaries, int quotas, int snapshots) {
    }

    /** Rows in the two read-model tables. */
    public record RowCounts(long summaries, long quotas) {
    }

    /** A page of a team's studies and how many there are in all. */
    public record SummaryPage(List<StudySummaryEntity> rows, long total) {
    }

    private final Mutiny.SessionFactory sessions;

    /** Constructed, not field-injected, so that {@code ./seedloop bench appends} runs this very class without CDI. */
    @Inject
    public ReadModels(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Inserts or replaces the studies' rows ({@code updatedAt} is the database's time). */
    public Uni<Void> upsertStudies(Mutiny.Session session, Collection<StudySummaryEntity> rows) {
        ArrayNode json = JSON.createArrayNode();
        for (StudySummaryEntity row : rows) {
            ObjectNode o = json.addObject();
            o.put("study_id", row.studyId);
            o.put("team", row.team);
            o.put("name", row.name);
            o.put("status", row.status);
            o.put("created_at", row.createdAt.toString());
            o.put("created_by", row.createdBy);
            o.put("max_experiments", row.maxExperiments);
            o.put("budget_used", row.budgetUsed);
            o.put("champion_value", row.championValue);
            o.put("last_sequence", row.lastSequence);
        }
        return execute(session, UPSERT_STUDIES, json);
    }

    /** Inserts or replaces the teams' quotas; pass at most one row per team, the latest. */
    public Uni<Void> upsertQuotas(Mutiny.Session session, Collection<TeamQuotaEntity> rows) {
        ArrayNode json = JSON.createArrayNode();
        for (TeamQuotaEntity row : rows) {
            ObjectNode o = json.addObject();
            o.put("team", row.team);
            o.put("max_concurrent_studies", row.maxConcurrentStudies);
            o.put("max_experiments_per_day", row.maxExperimentsPerDay);
            o.put("set_by", row.setBy);
            o.put("set_at", row.setAt.toString());
        }
        return execute(session, UPSERT_QUOTAS, json);
    }

    /**
     * Deletes every row of every table derived from the store, in the caller's transaction: readers keep seeing
     * the old rows until it commits with their replacements.
     */
    public Uni<Dropped> dropAll(Mutiny.Session session) {
        return session.createNativeQuery("delete from study_summary").executeUpdate()
                .chain(summaries -> session.createNativeQuery("delete from team_quota").executeUpdate()
                        .chain(quotas -> session.createNativeQuery("delete from study_snapshot").executeUpdate()
                                .map(snapshots -> new Dropped(summaries, quotas, snapshots))));
    }

    /** Rows in {@code study_summary} and {@code team_quota}, as the caller's transaction sees them. */
    public Uni<RowCounts> rowCounts(Mutiny.Session session) {
        return session.createSelectionQuery("select count(s) from StudySummaryEntity s", Long.class).getSingleResult()
                .chain(summaries -> session.createSelectionQuery("select count(q) from TeamQuotaEntity q", Long.class)
                        .getSingleResult().map(quotas -> new RowCounts(summaries, quotas)));
    }

    private static Uni<Void> execute(Mutiny.Session session, String sql, ArrayNode rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return session.createNativeQuery(sql).setParameter("rows", rows.toString()).executeUpdate().replaceWithVoid();
    }

    /** The team that owns a study, or null when no study of that id was created. */
    public Uni<String> teamOf(String studyId) {
        return sessions.withSession(session -> session.createSelectionQuery(
                        "select s.team from StudySummaryEntity s where s.studyId = :study", String.class)
                .setParameter("study", studyId)
                .getSingleResultOrNull());
    }

    /** A team's studies, newest first, optionally only those in one status. */
    public Uni<SummaryPage> studies(String team, String status, int offset, int limit) {
        String filter = " where s.team = :team" + (status == null ? "" : " and s.status = :status");
        return sessions.withSession(session -> {
            var page = session.createSelectionQuery("from StudySummaryEntity s" + filter
                            + " order by s.createdAt desc, s.studyId desc", StudySummaryEntity.class)
                    .setParameter("team", team)
                    .setFirstResult(offset)
                    .setMaxResults(limit);
            var count = session.createSelectionQuery("select count(s) from StudySummaryEntity s" + filter, Long.class)
                    .setParameter("team", team);
            if (status != null) {
                page.setParameter("status", status);
                count.setParameter("status", status);
            }
            // One after the other: the session is not thread-safe.
            return page.getResultList().chain(rows -> count.getSingleResult().map(total -> new SummaryPage(rows, total)));
        });
    }

    /** How many of a team's studies are in one of the given statuses. */
    public Uni<Long> countStudies(String team, Collection<String> statuses) {
        return sessions.withSession(session -> session.createSelectionQuery(
                        "select count(s) from StudySummaryEntity s where s.team = :team and s.status in :statuses",
                        Long.class)
                .setParameter("team", team)
                .setParameter("statuses", statuses)
                .getSingleResult());
    }

    /** A team's quotas, or null when never set. */
    public Uni<TeamQuotaEntity> quota(String team) {
        return sessions.withSession(session -> session.find(TeamQuotaEntity.class, team));
    }

    /** Ids of created studies without a summary, in store order: what a rebuild must fold. */
    public Uni<List<String>> studiesWithoutSummary(Mutiny.Session session) {
        return session.createSelectionQuery("select e.studyId from StoredEventEntity e"
                        + " where e.eventType = :created"
                        + " and not exists (select 1 from StudySummaryEntity s where s.studyId = e.studyId)"
                        + " order by e.globalPosition", String.class)
                .setParameter("created", EventTypes.STUDY_CREATED)
                .getResultList();
    }

    /** Stored events of a type belonging to teams without a quota row, in store order: a quota rebuild's input. */
    public Uni<List<StoredEventEntity>> eventsOfTeamsWithoutQuota(Mutiny.Session session, String type) {
        return session.createSelectionQuery("from StoredEventEntity e where e.eventType = :type"
                        + " and not exists (select 1 from TeamQuotaEntity q where q.team = e.team)"
                        + " order by e.globalPosition", StoredEventEntity.class)
                .setParameter("type", type)
                .getResultList();
    }
}
