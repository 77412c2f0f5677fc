package dev.seedloop.gateway.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import dev.seedloop.queries.Views;

/**
 * What a team's quota page shows: the quotas in force and the day they count. Admission itself is the learner's
 * ({@code Query.AdmitStudy}); this only describes. Pure: usage, defaults and time come in.
 */
public final class TeamQuotas {

    /** The quotas in force: those a team admin set, else the operator's defaults. */
    public record Limits(int maxConcurrentStudies, int maxExperimentsPerDay) {
    }

    private TeamQuotas() {
    }

    /** The team's own quotas where its admin set them, the defaults otherwise. */
    public static Limits inForce(Views.TeamUsageView usage, Limits defaults) {
        return new Limits(
                usage.maxConcurrentStudies() == null ? defaults.maxConcurrentStudies() : usage.maxConcurrentStudies(),
                usage.maxExperimentsPerDay() == null ? defaults.maxExperimentsPerDay() : usage.maxExperimentsPerDay());
    }

    /** Daily quotas count from 00:00 UTC, so every team, gateway and learner agrees on when a day starts. */
    public static Instant dayStart(Instant now) {
        return now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    }
}
