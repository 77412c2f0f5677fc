package dev.seedloop.gateway.api.postmortem;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.seedloop.gateway.api.report.Report;
import dev.seedloop.gateway.api.report.Report.Cell;
import dev.seedloop.gateway.api.report.Report.Code;
import dev.seedloop.gateway.api.report.Report.Paragraph;
import dev.seedloop.gateway.api.report.Report.Strong;
import dev.seedloop.gateway.api.report.Report.Text;
import dev.seedloop.gateway.domain.CodeLineage;
import dev.seedloop.gateway.domain.StudyComparison;
import dev.seedloop.queries.PostmortemView;
import dev.seedloop.queries.Views;

/**
 * What a postmortem says, in the order a reader asks: what the study was and how it ended, what happened
 * when, how the champion improved and why each promotion was trusted, what each operator yielded for its
 * cost, how experiments failed, which results look too good, where work waited, and who intervened.
 * Pure: the same view gives the same report. Every value goes in raw; the writers escape.
 */
public final class PostmortemReport {

    private static final MathContext SIX_DIGITS = new MathContext(6);

    private PostmortemReport() {
    }

    public static Report of(PostmortemView view) {
        return of(view, null);
    }

    /**
     * @param code the study's code lineage (an llm study's), shown after the champion lineage; null for none
     */
    public static Report of(PostmortemView view, CodeLineage.View code) {
        return of(view, code, null);
    }

    /**
     * @param code     the study's code lineage (an llm study's), shown after the champion lineage; null for none
     * @param baseline the study against its baseline, shown after the lineages; null when it has none
     */
    public static Report of(PostmortemView view, CodeLineage.View code, StudyComparison.Result baseline) {
        PostmortemView.Study s = view.study();
        String name = s.name() == null ? view.studyId() : s.name();
        List<Report.Section> sections = new ArrayList<>(List.of(study(view), totals(view.totals()), timeline(view),
                lineage(view)));
        if (code != null) {
            sections.add(CodeLineageReport.of(view.studyId(), code));
        }
        if (baseline != null) {
            sections.add(BaselineReport.of(baseline));
        }
        sections.addAll(List.of(yields(view), failures(view.failures()), suspects(view), queues(view),
                interventions(view)));
        return new Report("Postmortem: " + name, sections);
    }

    private static Report.Section study(PostmortemView view) {
        PostmortemView.Study s = view.study();
        List<List<Cell>> rows = new ArrayList<>();
        rows.add(row("Study", Cell.code(view.studyId())));
        rows.add(row("Name", Cell.text(s.name())));
        rows.add(row("Team", Cell.text(s.team())));
        rows.add(row("Status", s.endReason() == null ? Cell.of(new Strong(orDash(s.status())))
                : Cell.of(new Strong(orDash(s.status())), new Text(": " + s.endReason()))));
        rows.add(row("Created", Cell.text(time(s.createdAt()) + (s.createdBy() == null ? "" : " by " + s.createdBy()))));
        rows.add(row("Ended", Cell.text(s.endedAt() == null ? "not yet (last event " + time(s.lastEventAt()) + ")"
                : time(s.endedAt()))));
        Instant until = s.endedAt() != null ? s.endedAt() : s.lastEventAt();
        rows.add(row("Duration", Cell.text(s.createdAt() == null || until == null ? null
                : duration(Duration.between(s.createdAt(), until).toMillis()))));
        rows.add(row("Objective", s.metric() == null ? Cell.text(null) : Cell.of(new Text(s.direction() + " "),
                new Code(s.metric()), new Text(s.target() == null ? "" : ", target " + num(s.target())))));
        if (s.forkedFrom() != null) {
            rows.add(row("Forked from", Cell.code(s.forkedFrom() + " at sequence " + s.forkedAt())));
        }
        rows.add(row("Strategy", Cell.code(s.strategy())));
        rows.add(row("Promotion", Cell.text(s.promotion())));
        rows.add(row("Budget", Cell.text(s.maxExperiments() == null ? null : s.maxExperiments() + " experiments, "
                + s.maxWallSeconds() + " s of wall time, " + s.parallelism() + " at a time")));
        rows.add(row("Champion", s.championProposalId() == null ? Cell.text("none")
                : Cell.of(new Code(s.championProposalId().toString()), new Text(" at " + num(s.championValue())))));
        rows.add(row("Events read", Cell.text(Long.toString(view.lastSequence()))));
        return section("Study", table(List.of("", ""), rows));
    }

    private static Report.Section totals(PostmortemView.Totals t) {
        PostmortemView.Compute c = t.compute();
        return section("Totals", table(List.of("", ""), List.of(
                row("Proposals", Cell.text(t.proposals() + " (" + t.proposalsRejected() + " rejected before running)")),
                row("Experiments", Cell.text(t.experimentsStarted() + " started, " + t.experimentsCompleted()
                        + " completed, " + t.experimentsFailed() + " failed")),
                row("Evaluations", Cell.text(t.evaluations() + " (" + t.invalidEvaluations() + " invalid)")),
                row("Champion changes", Cell.text(Integer.toString(t.championChanges()))),
                row("Compute", Cell.text(compute(c))))));
    }

    private static Report.Section timeline(PostmortemView view) {
        if (view.timeline().isEmpty()) {
            return section("Timeline", Paragraph.text("No events."));
        }
        List<List<Cell>> rows = view.timeline().stream().map(e -> List.of(Cell.text(Long.toString(e.sequence())),
                Cell.text(time(e.at())), Cell.code(e.kind()), Cell.text(e.summary()), Cell.text(e.by()))).toList();
        return section("Timeline", table(List.of("seq", "at", "what", "summary", "by"), rows));
    }

    private static Report.Section lineage(PostmortemView view) {
        if (view.lineage().isEmpty()) {
            return section("Champion lineage", Paragraph.text("No champion yet."));
        }
        List<List<Cell>> rows = new ArrayList<>();
        for (PostmortemView.Promotion p : view.lineage()) {
            Views.EvidenceView e = p.evidence();
            rows.add(List.of(Cell.text(Long.toString(p.sequence())), Cell.text(time(p.at())),
                    Cell.code(p.proposalId().toString()), Cell.code(p.operator()),
                    Cell.text((p.previousValue() == null ? "" : num(p.previousValue()) + " → ") + num(p.value())),
                    Cell.text(e == null ? "not stored" : interval(e)),
                    Cell.text(e == null || e.pValue() == null ? "no test" : "p = " + num(e.pValue())),
                    Cell.text(e == null ? null : e.validationPassed() ? "passed" : "failed"),
                    Cell.text(e == null || e.heldOutValue() == null ? null : num(e.heldOutValue())),
                    Cell.text(promotedBy(p)),
                    Cell.text(e == null ? null : e.reason())));
        }
        return section("Champion lineage", Paragraph.text("Each promotion with the evaluator's evidence: the"
                        + " candidate's mean and confidence interval over its repeats, the significance test against"
                        + " the champion it replaced, validation and the held-out metric."),
                table(List.of("seq", "at", "proposal", "operator", "value", "interval", "test", "validation",
                        "held-out", "promoted", "evaluator's reason"), rows));
    }

    private static Report.Section yields(PostmortemView view) {
        if (view.yields().isEmpty()) {
            return section("Yield per strategy and operator", Paragraph.text("No proposals."));
        }
        List<List<Cell>> rows = view.yields().stream().map(y -> List.of(Cell.code(y.strategy()), Cell.code(y.operator()),
                Cell.text(Integer.toString(y.proposals())), Cell.text(Integer.toString(y.rejected())),
                Cell.text(Integer.toString(y.experiments())), Cell.text(Integer.toString(y.failures())),
                Cell.text(Integer.toString(y.invalid())), Cell.text(Integer.toString(y.improvements())),
                Cell.text(y.experiments() == 0 ? null : percent(y.improvements(), y.experiments())),
                Cell.text(y.bestValue() == null ? null : num(y.bestValue())),
                Cell.text(duration(y.compute().wallMillis())), Cell.text(duration(y.compute().cpuMillis())))).toList();
        return section("Yield per strategy and operator", table(List.of("strategy", "operator", "proposals",
                "rejected", "experiments", "failed", "invalid", "improvements", "improvement rate", "best", "wall time",
                "CPU time"), rows));
    }

    private static Report.Section failures(PostmortemView.Failures failures) {
        if (failures.byReason().isEmpty()) {
            return section("Failures", Paragraph.text("No experiment failed."));
        }
        List<Report.Block> blocks = new ArrayList<>();
        blocks.add(table(List.of("reason", "failures", "wall time", "CPU time"), failures.byReason().stream()
                .map(r -> List.of(Cell.code(r.reason()), Cell.text(Integer.toString(r.count())),
                        Cell.text(duration(r.compute().wallMillis())), Cell.text(duration(r.compute().cpuMillis()))))
                .toList()));
        blocks.add(Paragraph.text("Grouped by the shape of their log tails (numbers, ids, paths and times"
                + " normalised away), largest group first:"));
        blocks.add(table(List.of("fingerprint", "reason", "failures", "first", "last", "detail"), failures.groups()
                .stream().map(g -> List.of(Cell.code(g.fingerprint()), Cell.code(g.reason()),
                        Cell.text(Integer.toString(g.count())), Cell.text(time(g.firstAt())), Cell.text(time(g.lastAt())),
                        Cell.text(g.sampleDetail())))
                .toList()));
        for (PostmortemView.FailureGroup g : failures.groups()) {
            blocks.add(new Report.Heading(g.reason() + " " + g.fingerprint() + " (" + g.count() + "×)"));
            blocks.add(Paragraph.of(new Text("Experiments: "), new Text(String.join(", ",
                    g.experimentIds().stream().map(UUID::toString).toList())
                    + (g.count() > g.experimentIds().size() ? " and " + (g.count() - g.experimentIds().size())
                    + " more" : ""))));
            blocks.add(Paragraph.text("Shape:"));
            blocks.add(new Report.Preformatted(g.signature().isEmpty() ? "(empty log)" : g.signature()));
            blocks.add(Paragraph.text("Log tail of the first one:"));
            blocks.add(new Report.Preformatted(g.sampleLogTail().isEmpty() ? "(empty log)" : g.sampleLogTail()));
        }
        return new Report.Section("Failures", blocks);
    }

    private static Report.Section suspects(PostmortemView view) {
        String title = "Possible reward hacking";
        if (view.possibleRewardHacking().isEmpty()) {
            return section(title, Paragraph.text("None: no result that beat the champion of its time was refused"
                    + " by validation or by the held-out metric."));
        }
        List<List<Cell>> rows = view.possibleRewardHacking().stream().map(x -> List.of(
                Cell.text(Long.toString(x.sequence())), Cell.text(time(x.at())), Cell.code(x.kind()),
                Cell.code(x.proposalId().toString()), Cell.code(x.operator()),
                Cell.text(num(x.value()) + " vs " + num(x.championValue())),
                Cell.text(x.heldOutValue() == null ? null : num(x.heldOutValue()) + " vs " + num(x.championHeldOut())),
                Cell.text(x.reason()), Cell.text(x.validationDetail()))).toList();
        return section(title, Paragraph.text("Results that beat the champion on the optimised metric but failed"
                        + " the checks the proposer never sees: validation, or the held-out metric beyond the"
                        + " evaluator's tolerance. Review them before trusting the search."),
                table(List.of("seq", "at", "kind", "proposal", "operator", "value vs champion",
                        "held-out vs champion's", "evaluator's reason", "validation said"), rows));
    }

    private static Report.Section queues(PostmortemView view) {
        List<List<Cell>> rows = view.queues().stream().map(q -> List.of(Cell.code(q.stage()), Cell.text(q.measured()),
                Cell.text(Integer.toString(q.count())), Cell.text(duration(q.meanMillis())),
                Cell.text(duration(q.p50Millis())), Cell.text(duration(q.p95Millis())),
                Cell.text(duration(q.maxMillis())), Cell.text(duration(q.totalMillis())),
                Cell.text(Integer.toString(q.waiting())))).toList();
        return section("Time queued per stage", table(List.of("stage", "from → to", "measured", "mean", "median",
                "p95", "max", "total", "still waiting"), rows));
    }

    private static Report.Section interventions(PostmortemView view) {
        if (view.interventions().isEmpty()) {
            return section("Halts, approvals and other interventions", Paragraph.text("Nobody intervened."));
        }
        List<List<Cell>> rows = view.interventions().stream().map(i -> List.of(Cell.text(Long.toString(i.sequence())),
                Cell.text(time(i.at())), Cell.code(i.action()), Cell.text(i.by()), Cell.text(i.reason()),
                Cell.code(i.proposalId() == null ? null : i.proposalId().toString()))).toList();
        return section("Halts, approvals and other interventions", table(List.of("seq", "at", "action", "by",
                "reason", "candidate"), rows));
    }

    private static String promotedBy(PostmortemView.Promotion p) {
        if (p.approvedBy() == null) {
            return p.requestedAt() == null ? "automatically" : "requested " + time(p.requestedAt())
                    + ", approval not stored";
        }
        String reason = p.approvalReason() == null || p.approvalReason().isBlank() ? "" : ": " + p.approvalReason();
        String waited = p.requestedAt() == null || p.approvedAt() == null ? ""
                : " after " + duration(Duration.between(p.requestedAt(), p.approvedAt()).toMillis());
        return "approved by " + p.approvedBy() + waited + reason;
    }

    private static String interval(Views.EvidenceView e) {
        if (e.mean() == null) {
            return "no summary";
        }
        return "mean " + num(e.mean()) + " [" + num(e.ciLow()) + ", " + num(e.ciHigh()) + "], n = " + e.repeats();
    }

    static String compute(PostmortemView.Compute c) {
        return duration(c.wallMillis()) + " wall, " + duration(c.cpuMillis()) + " CPU, peak "
                + (c.maxRssKiB() >= 1024 ? num(c.maxRssKiB() / 1024.0) + " MiB" : c.maxRssKiB() + " KiB") + " RSS";
    }

    /** 850 ms, 12.5 s, 4 min 05 s, 2 h 03 min; null stays null. */
    static String duration(Long millis) {
        if (millis == null) {
            return null;
        }
        long ms = Math.abs(millis);
        String sign = millis < 0 ? "-" : "";
        if (ms < 1000) {
            return sign + ms + " ms";
        }
        if (ms < 60_000) {
            return sign + num(ms / 1000.0 >= 10 ? Math.round(ms / 100.0) / 10.0 : Math.round(ms / 10.0) / 100.0) + " s";
        }
        long seconds = ms / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%s%d min %02d s", sign, seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%s%d h %02d min", sign, seconds / 3600, seconds % 3600 / 60);
    }

    /** Six significant digits, no trailing zeros. */
    static String num(Double value) {
        if (value == null) {
            return "none";
        }
        if (!Double.isFinite(value)) {
            return value.toString();
        }
        return new BigDecimal(value).round(SIX_DIGITS).stripTrailingZeros().toPlainString();
    }

    private static String percent(int part, int whole) {
        return Math.round(100.0 * part / whole) + " %";
    }

    private static String time(Instant at) {
        return at == null ? "—" : at.toString();
    }

    private static String orDash(String s) {
        return s == null ? "—" : s;
    }

    private static List<Cell> row(String label, Cell value) {
        return List.of(Cell.of(new Strong(label)), value);
    }

    private static Report.Table table(List<String> headers, List<List<Cell>> rows) {
        return new Report.Table(headers, rows);
    }

    private static Report.Section section(String title, Report.Block... blocks) {
        return new Report.Section(title, List.of(blocks));
    }
}
