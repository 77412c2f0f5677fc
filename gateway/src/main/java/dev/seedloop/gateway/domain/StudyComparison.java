package dev.seedloop.gateway.domain;

import java.util.Locale;

/**
 * Two studies of a team side by side, typically a study and its baseline ({@link Baselines}), and what their results
 * allow one to say about the difference. Pure.
 *
 * <p>The verdict, for the first study against the second: {@code not-comparable} when they optimise different metrics
 * or directions, or either has no champion yet; {@code no-difference-shown} when either champion has no confidence
 * interval (one repeat, or a first champion, which the evaluator reports without one) or the two intervals overlap;
 * otherwise {@code better} or {@code worse} in the objective's direction. A budget that differs does not change the
 * verdict, but {@code sameBudget} says so and the explanation names it.
 */
public final class StudyComparison {

    public static final String BETTER = "better";
    public static final String WORSE = "worse";
    public static final String NO_DIFFERENCE_SHOWN = "no-difference-shown";
    public static final String NOT_COMPARABLE = "not-comparable";

    private StudyComparison() {
    }

    /**
     * One study as compared.
     *
     * @param strategy             how it proposes, e.g. {@code llm (best-of-n)} or {@code random}
     * @param experimentsEvaluated evaluations it completed
     * @param best                 its champion (null: none yet)
     * @param firstValue           its first champion's value: the first valid result it evaluated (null: none yet)
     * @param improvement          from {@code firstValue} to the best, positive when better in the objective's
     *                             direction (null without a champion)
     * @param modelCalls           language-model calls it made, replayed ones included (0 for a parameter study)
     * @param modelCostUsd         what those calls billed
     */
    public record Side(String studyId, String name, String strategy, String status, String metric, String direction,
                       int maxExperiments, int experimentsEvaluated, Best best, Double firstValue, Double improvement,
                       long modelCalls, double modelCostUsd) {
    }

    /** A champion's value and its confidence interval (both bounds null when the evaluator reported none). */
    public record Best(double value, Double ciLow, Double ciHigh) {

        boolean hasInterval() {
            return ciLow != null && ciHigh != null;
        }
    }

    /** The comparison of {@code study} against {@code other}. */
    public record Result(Side study, Side other, boolean sameBudget, String verdict, String explanation) {
    }

    /** {@link Side} with its improvement worked out from the first value and the best. */
    public static Side side(String studyId, String name, String strategy, String status, String metric,
            String direction, int maxExperiments, int experimentsEvaluated, Best best, Double firstValue,
            long modelCalls, double modelCostUsd) {
        Double improvement = best == null || firstValue == null ? null
                : minimizes(direction) ? firstValue - best.value() : best.value() - firstValue;
        return new Side(studyId, name, strategy, status, metric, direction, maxExperiments, experimentsEvaluated, best,
                firstValue, improvement, modelCalls, modelCostUsd);
    }

    public static Result compare(Side study, Side other) {
        boolean sameBudget = study.maxExperiments() == other.maxExperiments();
        String budgetNote = sameBudget ? "" : String.format(Locale.ROOT, " Their budgets differ: %d against %d"
                + " experiments.", study.maxExperiments(), other.maxExperiments());
        if (!study.metric().equals(other.metric()) || !study.direction().equals(other.direction())) {
            return new Result(study, other, sameBudget, NOT_COMPARABLE, String.format(Locale.ROOT,
                    "They optimise different objectives: %s (%s) against %s (%s).", study.metric(), study.direction(),
                    other.metric(), other.direction()) + budgetNote);
        }
        for (Side side : new Side[] {study, other}) {
            if (side.best() == null) {
                return new Result(study, other, sameBudget, NOT_COMPARABLE, "Study " + side.studyId()
                        + " has no champion yet." + budgetNote);
            }
        }
        for (Side side : new Side[] {study, other}) {
            if (!side.best().hasInterval()) {
                return new Result(study, other, sameBudget, NO_DIFFERENCE_SHOWN, "The champion of study "
                        + side.studyId() + " has no confidence interval (one repeat, or its first champion): with"
                        + " experiment.repeats of 2 or more the difference can be tested." + budgetNote);
            }
        }
        Best mine = study.best();
        Best theirs = other.best();
        String intervals = String.format(Locale.ROOT, "[%s, %s] against [%s, %s]", number(mine.ciLow()),
                number(mine.ciHigh()), number(theirs.ciLow()), number(theirs.ciHigh()));
        if (mine.ciLow() <= theirs.ciHigh() && theirs.ciLow() <= mine.ciHigh()) {
            return new Result(study, other, sameBudget, NO_DIFFERENCE_SHOWN, "The champions' confidence intervals "
                    + intervals + " overlap." + budgetNote);
        }
        boolean lower = mine.ciHigh() < theirs.ciLow();
        boolean better = lower == minimizes(study.direction());
        return new Result(study, other, sameBudget, better ? BETTER : WORSE, String.format(Locale.ROOT,
                "The champions' confidence intervals %s do not overlap: study %s is %s on %s (%s).", intervals,
                study.studyId(), better ? "better" : "worse", study.metric(), study.direction()) + budgetNote);
    }

    private static boolean minimizes(String direction) {
        return "minimize".equals(direction);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
