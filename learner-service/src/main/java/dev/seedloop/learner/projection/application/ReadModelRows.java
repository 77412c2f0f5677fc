package dev.seedloop.learner.projection.application;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.TeamQuotaSet;
import dev.seedloop.learner.domain.StudyState;
import dev.seedloop.learner.domain.WireNames;
import dev.seedloop.learner.projection.persistence.StudySummaryEntity;
import dev.seedloop.learner.projection.persistence.TeamQuotaEntity;

/** The read-model rows derived from folded studies and team events, for the live path and the rebuild alike. */
public final class ReadModelRows {

    private ReadModelRows() {
    }

    /** Only created studies have a summary; call with {@code createdEventId != null}. */
    public static StudySummaryEntity summary(StudyState s) {
        StudySummaryEntity row = new StudySummaryEntity();
        row.studyId = s.studyId();
        row.team = s.team();
        row.name = s.name();
        row.status = WireNames.of(s.status());
        row.createdAt = s.startedAt();
        row.createdBy = s.createdBy();
        row.maxExperiments = s.budget().maxExperiments();
        row.budgetUsed = s.budgetUsed();
        row.championValue = s.bestValue();
        row.lastSequence = s.eventsApplied();
        return row;
    }

    /** One row per team, from the last TeamQuotaSet among {@code events} (in store order): the latest wins. */
    public static Collection<TeamQuotaEntity> quotas(Iterable<EventEnvelope> events) {
        Map<String, TeamQuotaEntity> latest = new LinkedHashMap<>();
        for (EventEnvelope event : events) {
            if (event.payload() instanceof TeamQuotaSet q) {
                TeamQuotaEntity row = new TeamQuotaEntity();
                row.team = event.team();
                row.maxConcurrentStudies = q.maxConcurrentStudies();
                row.maxExperimentsPerDay = q.maxExperimentsPerDay();
                row.setBy = q.by();
                row.setAt = event.occurredAt();
                latest.put(row.team, row);
            }
        }
        return latest.values();
    }
}
