package dev.seedloop.gateway.api.postmortem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.seedloop.gateway.api.report.Report;
import dev.seedloop.gateway.api.report.Report.Cell;
import dev.seedloop.gateway.api.report.Report.Code;
import dev.seedloop.gateway.api.report.Report.Paragraph;
import dev.seedloop.gateway.api.report.Report.Strong;
import dev.seedloop.gateway.api.report.Report.Text;
import dev.seedloop.gateway.domain.StudyComparison;

/**
 * The postmortem's section on a study against its baseline (same budget, the strategy evolution must beat): the two
 * side by side and the verdict with its reason, i.e. what evolution added. Pure; the writers escape.
 */
final class BaselineReport {

    static final String TITLE = "Against its baseline";

    private BaselineReport() {
    }

    static Report.Section of(StudyComparison.Result comparison) {
        StudyComparison.Side study = comparison.study();
        StudyComparison.Side baseline = comparison.other();
        List<List<Cell>> rows = new ArrayList<>();
        rows.add(row("study", Cell.code(study.studyId()), Cell.code(baseline.studyId())));
        rows.add(row("strategy", Cell.code(study.strategy()), Cell.code(baseline.strategy())));
        rows.add(row("status", Cell.text(study.status()), Cell.text(baseline.status())));
        rows.add(row("budget (experiments)", Cell.text(Integer.toString(study.maxExperiments())),
                Cell.text(Integer.toString(baseline.maxExperiments()))));
        rows.add(row("experiments evaluated", Cell.text(Integer.toString(study.experimentsEvaluated())),
                Cell.text(Integer.toString(baseline.experimentsEvaluated()))));
        rows.add(row("best " + study.metric(), Cell.text(best(study.best())), Cell.text(best(baseline.best()))));
        rows.add(row("first champion", Cell.text(PostmortemReport.num(study.firstValue())),
                Cell.text(PostmortemReport.num(baseline.firstValue()))));
        rows.add(row("improvement since", Cell.text(PostmortemReport.num(study.improvement())),
                Cell.text(PostmortemReport.num(baseline.improvement()))));
        rows.add(row("model calls", Cell.text(Long.toString(study.modelCalls())),
                Cell.text(Long.toString(baseline.modelCalls()))));
        rows.add(row("model spend", Cell.text(usd(study.modelCostUsd())), Cell.text(usd(baseline.modelCostUsd()))));
        return new Report.Section(TITLE, List.of(
                Paragraph.of(new Text("Verdict: "), new Strong(comparison.verdict()), new Text(". "
                        + comparison.explanation() + " Improvement is from the first champion to the best, positive"
                        + " when better (" + study.direction() + "). All of it: "),
                        new Code("GET /api/v1/studies/" + study.studyId() + "/comparison?with=" + baseline.studyId())),
                new Report.Table(List.of("", "this study", "its baseline"), rows)));
    }

    private static String best(StudyComparison.Best best) {
        if (best == null) {
            return "no champion yet";
        }
        return PostmortemReport.num(best.value()) + (best.ciLow() == null || best.ciHigh() == null ? ", no interval"
                : " [" + PostmortemReport.num(best.ciLow()) + ", " + PostmortemReport.num(best.ciHigh()) + "]");
    }

    private static String usd(double cost) {
        return String.format(Locale.ROOT, "$%.4f", cost);
    }

    private static List<Cell> row(String label, Cell study, Cell baseline) {
        return List.of(Cell.of(new Strong(label)), study, baseline);
    }
}
