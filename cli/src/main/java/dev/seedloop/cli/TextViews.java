package dev.seedloop.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import dev.seedloop.cli.client.GatewayRecords.BestValue;
import dev.seedloop.cli.client.GatewayRecords.ComparedStudy;
import dev.seedloop.cli.client.GatewayRecords.ControlAccepted;
import dev.seedloop.cli.client.GatewayRecords.StudyComparison;
import dev.seedloop.cli.client.GatewayRecords.TeamQuota;
import dev.seedloop.cli.client.Json;
import dev.seedloop.cli.watch.ModelSpendText;
import dev.seedloop.queries.Views.CandidateView;
import dev.seedloop.queries.Views.ChampionView;
import dev.seedloop.queries.Views.ControlView;
import dev.seedloop.queries.Views.EvidenceView;
import dev.seedloop.queries.Views.StudyPage;
import dev.seedloop.queries.Views.StudySummaryView;
import dev.seedloop.queries.Views.StudyView;

/** How the gateway's answers read for a person ({@code --output text}). */
final class TextViews {

    private static final int PAYLOAD_WIDTH = 110;

    private TextViews() {
    }

    static void study(PrintStream out, StudyView study) {
        out.printf(Locale.ROOT, "Study %s \"%s\" (team %s%s, created %s)%n", study.id(), study.name(), study.team(),
                study.createdBy() == null ? "" : ", by " + study.createdBy(), time(study.createdAt()));
        row(out, "status", study.status() + (study.completionReason() == null ? "" : " (" + study.completionReason()
                + ")"));
        row(out, "objective", study.direction() + " " + study.metric());
        row(out, "strategy", study.strategy() + ", promotion " + study.promotion());
        if (study.origin() != null) {
            row(out, "forked from", String.format(Locale.ROOT, "%s at sequence %d (%d evaluated proposals inherited%s)",
                    study.origin().studyId(), study.origin().atSequence(), study.origin().inherited(),
                    study.origin().omitted() == 0 ? "" : ", " + study.origin().omitted() + " older left out"));
        }
        if (study.budget() != null) {
            row(out, "budget", String.format(Locale.ROOT, "%d/%d experiments used (%d failed), parallelism %d",
                    study.budget().used(), study.budget().maxExperiments(), study.experimentsFailed(),
                    study.budget().parallelism()));
        }
        if (study.modelSpend() != null) {
            row(out, "model", ModelSpendText.of(study.modelSpend()));
        }
        row(out, "champion", champion(study.metric(), study.champion()));
        if (study.pendingApprovals() != null) {
            for (CandidateView candidate : study.pendingApprovals()) {
                row(out, "pending", String.format(Locale.ROOT, "candidate %s, %s %.4f, requested %s",
                        candidate.proposalId(), study.metric(), candidate.value(), time(candidate.requestedAt())));
            }
        }
        if (study.controls() != null) {
            for (ControlView control : study.controls()) {
                row(out, "control", control.action() + " by " + control.by() + " at " + time(control.at())
                        + (control.reason() == null || control.reason().isBlank() ? "" : ": " + control.reason()));
            }
        }
    }

    /**
     * Two studies side by side, one row per figure, then the verdict, e.g.
     * {@code verdict: better. The champions' confidence intervals ... do not overlap ...}.
     */
    static void comparison(PrintStream out, StudyComparison comparison) {
        ComparedStudy a = comparison.study();
        ComparedStudy b = comparison.other();
        String format = "%-22s %-38s %s%n";
        out.printf(Locale.ROOT, format, "", a.studyId(), b.studyId());
        out.printf(Locale.ROOT, format, "name", clip(a.name(), 38), b.name());
        out.printf(Locale.ROOT, format, "strategy", a.strategy(), b.strategy());
        out.printf(Locale.ROOT, format, "status", a.status(), b.status());
        out.printf(Locale.ROOT, format, "budget (experiments)", a.maxExperiments(), b.maxExperiments());
        out.printf(Locale.ROOT, format, "experiments evaluated", a.experimentsEvaluated(), b.experimentsEvaluated());
        out.printf(Locale.ROOT, format, "best " + a.metric(), best(a.best()), best(b.best()));
        out.printf(Locale.ROOT, format, "first champion", decimal(a.firstValue()), decimal(b.firstValue()));
        out.printf(Locale.ROOT, format, "improvement since", decimal(a.improvement()), decimal(b.improvement()));
        out.printf(Locale.ROOT, format, "model calls", a.modelCalls(), b.modelCalls());
        out.printf(Locale.ROOT, format, "model spend", String.format(Locale.ROOT, "$%.4f", a.modelCostUsd()),
                String.format(Locale.ROOT, "$%.4f", b.modelCostUsd()));
        out.println("verdict: " + comparison.verdict() + ". " + comparison.explanation());
    }

    private static String best(BestValue best) {
        if (best == null) {
            return "no champion yet";
        }
        return decimal(best.value()) + (best.ciLow() == null || best.ciHigh() == null ? " (no interval)"
                : " [" + decimal(best.ciLow()) + ", " + decimal(best.ciHigh()) + "]");
    }

    private static String decimal(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String champion(String metric, ChampionView champion) {
        if (champion == null) {
            return "none yet";
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%s %.4f, proposal %s, since %s", metric,
                champion.value(), champion.proposalId(), time(champion.since())));
        EvidenceView evidence = champion.evidence();
        if (evidence != null) {
            text.append("; ").append(evidence.reason());
            if (evidence.ciLow() != null && evidence.ciHigh() != null) {
                text.append(String.format(Locale.ROOT, ", 95%% interval [%.4f, %.4f]", evidence.ciLow(),
                        evidence.ciHigh()));
            }
            if (evidence.pValue() != null) {
                text.append(String.format(Locale.ROOT, ", p=%.4g", evidence.pValue()));
            }
            if (evidence.repeats() != null) {
                text.append(", ").append(evidence.repeats()).append(" repeats");
            }
        }
        if (champion.approvedBy() != null) {
            text.append("; approved by ").append(champion.approvedBy());
        }
        return text.toString();
    }

    static void studies(PrintStream out, StudyPage page) {
        if (page.items().isEmpty()) {
            out.println("No studies.");
            return;
        }
        out.printf(Locale.ROOT, "%-36s  %-24s  %-9s  %-9s  %-10s  %s%n", "ID", "NAME", "STATUS", "BUDGET", "CHAMPION",
                "CREATED");
        for (StudySummaryView study : page.items()) {
            out.printf(Locale.ROOT, "%-36s  %-24s  %-9s  %-9s  %-10s  %s%n", study.id(), clip(study.name(), 24),
                    study.status(), study.budgetUsed() + "/" + study.maxExperiments(),
                    study.championValue() == null ? "-" : String.format(Locale.ROOT, "%.4f", study.championValue()),
                    time(study.createdAt()) + (study.createdBy() == null ? "" : " by " + study.createdBy()));
        }
        long shown = (long) page.offset() + page.items().size();
        if (shown < page.total()) {
            out.println("(" + page.items().size() + " of " + page.total() + "; more with --limit)");
        }
    }

    static void control(PrintStream out, ControlAccepted accepted) {
        out.println(capitalize(accepted.action()) + " accepted for study " + accepted.studyId() + " (event "
                + accepted.eventId() + ", by " + accepted.by() + ").");
    }

    static void quota(PrintStream out, TeamQuota quota) {
        out.printf(Locale.ROOT, "Team %s: %d of %d concurrent studies, %d of %d experiments today (UTC).%n",
                quota.team(), quota.activeStudies(), quota.maxConcurrentStudies(), quota.experimentsToday(),
                quota.maxExperimentsPerDay());
        out.println(quota.setBy() == null ? "Quotas: the gateway's defaults."
                : "Quotas set by " + quota.setBy() + " at " + time(quota.setAt()) + ".");
    }

    /** One stored event a line: sequence, time, type and the payload, cut to the terminal's width. */
    static void event(PrintStream out, long sequence, JsonNode envelope) {
        String payload = envelope.has("payload") ? Json.write(envelope.get("payload")) : "";
        out.printf(Locale.ROOT, "%6d  %-24s  %-30s  %s%n", sequence, envelope.path("occurredAt").asText(""),
                envelope.path("type").asText("?"), clip(payload, PAYLOAD_WIDTH));
    }

    private static void row(PrintStream out, String label, String value) {
        out.printf(Locale.ROOT, "  %-10s %s%n", label, value);
    }

    private static String time(Instant instant) {
        return instant == null ? "-" : instant.toString();
    }

    private static String clip(String text, int width) {
        if (text == null) {
            return "";
        }
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }

    private static String capitalize(String text) {
        return text == null || text.isEmpty() ? "Request" : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
