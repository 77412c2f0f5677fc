package dev.seedloop.events;

/**
 * Statistics of the objective metric over an experiment's repeats: sample size, mean, sample
 * standard deviation and a confidence interval. Invariant: n >= 1, finite values, stddev >= 0,
 * ciLow <= mean <= ciHigh.
 */
public record MetricSummary(String metric, int n, double mean, double stddev, double ciLow, double ciHigh) {

    public MetricSummary {
        Checks.notBlank(metric, "metric");
        Checks.atLeast(n, 1, "n");
        if (!Double.isFinite(mean) || !Double.isFinite(stddev) || !Double.isFinite(ciLow) || !Double.isFinite(ciHigh)) {
            throw new IllegalArgumentException("summary values must be finite");
        }
        if (stddev < 0) {
            throw new IllegalArgumentException("stddev must be >= 0 but was " + stddev);
        }
        if (ciLow > mean || mean > ciHigh) {
            throw new IllegalArgumentException("need ciLow <= mean <= ciHigh but was " + ciLow + " <= " + mean + " <= " + ciHigh);
        }
    }
}
