package dev.seedloop.evaluator.domain;

import java.util.Locale;

import dev.seedloop.events.Direction;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Verdict;

/**
 * When a candidate replaces the champion. Checked in this order; the first that applies decides:
 * <ol>
 *   <li>validation failed → INVALID;</li>
 *   <li>objective metric missing in any repeat → INVALID;</li>
 *   <li>candidate is already the champion → NOT_BETTER (re-runs cannot promote themselves);</li>
 *   <li>no champion yet → NEW_CHAMPION;</li>
 *   <li>improvement in the objective's direction ≤ noise floor
 *       {@code max(minImprovement, minRelativeImprovement × |champion mean|)} → NOT_BETTER;</li>
 *   <li>both have a held-out value and the candidate's is worse than the champion's by more than
 *       {@code heldOutTolerance × |champion held-out|} → INVALID (it would have won on the training
 *       metric alone);</li>
 *   <li>both n ≥ 2: one-sided Welch p ≥ alpha → NOT_BETTER, else NEW_CHAMPION;</li>
 *   <li>either n = 1: NEW_CHAMPION on the noise floor alone, and the reason says no test was run.</li>
 * </ol>
 * Reasons carry the numbers so an operator can check a verdict by hand.
 */
public final class PromotionRule {


    private PromotionRule() {
    }

    public static Decision judge(Evidence candidate, ChampionRecord champion, Objective objective,
                                 PromotionSettings settings) {
        String metric = objective.metric();
        Direction direction = objective.direction();
        MetricSummary summary = null;
        if (candidate.repeatsMissingMetric() == 0 && !candidate.values().isEmpty()) {
            Statistics.Summary s = Statistics.summarize(candidate.values(), settings.confidence());
            summary = new MetricSummary(metric, s.n(), s.mean(), s.stddev(), s.ciLow(), s.ciHigh());
        }

        if (!candidate.validation().passed()) {
            return new Decision(Verdict.INVALID, "validation failed: " + candidate.validation().detail(),
                    summary, null);
        }
        if (summary == null) {
            int total = candidate.values().size() + candidate.repeatsMissingMetric();
            return new Decision(Verdict.INVALID, "metric '" + metric + "' missing in " + candidate.repeatsMissingMetric()
                    + " of " + total + " repeats", null, null);
        }
        String single = summary.n() == 1 ? " (single sample)" : "";
        if (champion == null) {
            return new Decision(Verdict.NEW_CHAMPION, "first valid result: mean " + metric + " " + num(summary.mean())
                    + " over n=" + summary.n() + single, summary, null);
        }
        MetricSummary best = champion.summary();
        if (candidate.proposalId().equals(champion.proposalId())) {
            return new Decision(Verdict.NOT_BETTER, "proposal is already the champion (mean " + num(best.mean())
                    + "); a re-run cannot replace itself", summary, null);
        }
        double improvement = sign(direction) * (summary.mean() - best.mean());
        double floor = Math.max(settings.minImprovement(), settings.minRelativeImprovement() * Math.abs(best.mean()));
        String comparison = "mean " + metric + " " + num(summary.mean()) + " (n=" + summary.n() + ") vs champion "
                + num(best.mean()) + " (n=" + best.n() + ")";
        if (improvement <= 0) {
            return new Decision(Verdict.NOT_BETTER, comparison + ": not better when " + verb(direction)
                   , summary, null);
        }
        if (improvement <= floor) {
            return new Decision(Verdict.NOT_BETTER, comparison + ": improvement " + num(improvement)
                    + " within noise floor " + num(floor), summary, null);
        }
        // Only a candidate that would otherwise win is held to the held-out metric: beating the champion
        // on the training metric while losing on data the proposer never saw is the mark of overfitting
        // or reward hacking, and that is what HELD_OUT_DEGRADED records. A candidate that is simply worse stays
        // NOT_BETTER, so its value still informs the search.
        if (candidate.heldOut() != null && champion.heldOut() != null) {
            double degradation = sign(direction) * (champion.heldOut() - candidate.heldOut());
            double allowed = settings.heldOutTolerance() * Math.abs(champion.heldOut());
            if (degradation > allowed) {
                return new Decision(Verdict.HELD_OUT_DEGRADED, comparison + ": improvement " + num(improvement)
                        + " but held-out degraded: " + num(candidate.heldOut()) + " vs champion "
                        + num(champion.heldOut()) + ", worse by " + num(degradation) + " > tolerance " + num(allowed),
                        summary, null);
            }
        }
        if (summary.n() < 2 || best.n() < 2) {
            return new Decision(Verdict.NEW_CHAMPION, comparison + ": improvement " + num(improvement)
                    + " > noise floor " + num(floor) + "; n=1 on one side, so no significance test",
                    summary, null);
        }
        Statistics.WelchTest welch = Statistics.welch(summary.mean(), summary.stddev(), summary.n(),
                best.mean(), best.stddev(), best.n());
        double p = direction == Direction.MAXIMIZE ? welch.pGreater() : welch.pLess();
        String test = "Welch t=" + num(welch.t()) + ", df=" + num(welch.df()) + ", one-sided p=" + num(p);
        if (p < settings.alpha()) {
            return new Decision(Verdict.NEW_CHAMPION, comparison + ": improvement " + num(improvement)
                    + " is significant (" + test + " < alpha " + num(settings.alpha()) + ")", summary, p);
        }
        return new Decision(Verdict.NOT_BETTER, comparison + ": improvement " + num(improvement)
                + " is not significant (" + test + " >= alpha " + num(settings.alpha()) + ")", summary, p);
    }


    private static double sign(Direction direction) {
        return direction == Direction.MAXIMIZE ? 1 : -1;
    }

    private static String verb(Direction direction) {
        return direction == Direction.MAXIMIZE ? "maximizing" : "minimizing";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
