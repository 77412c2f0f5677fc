package dev.seedloop.learner.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The quota rule a new study (or fork) is admitted by. Pure: usage and time come in. Daily quotas count
 * from 00:00 UTC, so every team and every learner instance agrees on when a day starts. The learner applies it
 * under its per-team admission lock, counting places held for studies being created as active ({@link Admission}).
 */
public final class QuotaPolicy {

    /** The quotas in force: those a team admin set, else the operator's defaults the admission query carries. */
    public record Limits(int maxConcurrentStudies, int maxExperimentsPerDay) {
    }

    /** A refusal: 429 (retry later) or 403 (never, as asked). {@code retryAfter} is null for 403. */
    public record Refusal(int status, String title, String detail, Duration retryAfter) {
    }

    private QuotaPolicy() {
    }

    public static Instant dayStart(Instant now) {
        return now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    }

    /** @return the refusal, or null when the study may start */
    public static Refusal admit(Limits limits, int activeStudies, int experimentsToday, int requestedExperiments,
            Instant now) {
        if (requestedExperiments > limits.maxExperimentsPerDay()) {
            return new Refusal(403, "Study exceeds the daily experiment quota",
                    "the study asks for " + requestedExperiments + " experiments but the team may run at most "
                            + limits.maxExperimentsPerDay() + " per day; lower budget.maxExperiments or ask a team"
                            + " admin to raise the quota", null);
        }
        if (activeStudies >= limits.maxConcurrentStudies()) {
            return new Refusal(429, "Concurrent study quota reached",
                    "the team already has " + activeStudies + " active studies (quota "
                            + limits.maxConcurrentStudies() + "); halt one or wait until one completes",
                    Duration.ofSeconds(60));
        }
        if (experimentsToday >= limits.maxExperimentsPerDay()) {
            Duration untilTomorrow = Duration.between(now, dayStart(now).plus(Duration.ofDays(1)));
            return new Refusal(429, "Daily experiment quota used up",
                    "the team has started " + experimentsToday + " experiments today (quota "
                            + limits.maxExperimentsPerDay() + "); the quota resets at 00:00 UTC", untilTomorrow);
        }
        return null;
    }
}
