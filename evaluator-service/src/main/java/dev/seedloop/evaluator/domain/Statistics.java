package dev.seedloop.evaluator.domain;

import java.util.List;

/**
 * Small-sample statistics for judging experiment repeats: mean, sample standard deviation,
 * Student-t confidence intervals and Welch's unequal-variance t-test.
 *
 * <p>The t distribution is computed here (regularized incomplete beta via Lentz's continued
 * fraction, log-gamma via Lanczos) rather than taken from a library, so the evaluator has no
 * numeric dependency whose version could change a verdict. {@link StrictMath} keeps results
 * bit-identical across platforms, which replays rely on.
 */
public final class Statistics {

    private static final double EPS = 1e-15;
    private static final double TINY = 1e-300;
    private static final int MAX_ITERATIONS = 500;

    private Statistics() {
    }

    /**
     * Summary of a sample. {@code singleSample} is true when n = 1: the spread is unknown, so the
     * standard deviation is reported as 0 and the interval collapses to the mean.
     */
    public record Summary(int n, double mean, double stddev, double ciLow, double ciHigh, boolean singleSample) {
    }

    /**
     * Outcome of Welch's t-test of "a is greater than b". {@code pGreater} is the one-sided p-value
     * for that alternative, {@code pLess} for the opposite one.
     */
    public record WelchTest(double t, double df, double pGreater, double pLess) {
    }

    public static double mean(List<Double> values) {
        requireNonEmpty(values);
        // Two-pass with a correction term: repeats often agree to many digits, where naive sums lose them.
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double m = sum / values.size();
        double correction = 0;
        for (double v : values) {
            correction += v - m;
        }
        return m + correction / values.size();
    }

    /** Sample standard deviation (n - 1 denominator); 0 for a single value. */
    public static double sampleStdDev(List<Double> values) {
        requireNonEmpty(values);
        int n = values.size();
        if (n == 1) {
            return 0.0;
        }
        double m = mean(values);
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return StrictMath.sqrt(ss / (n - 1));
    }

    /** Mean, standard deviation and a two-sided {@code confidence} interval of the mean. */
    public static Summary summarize(List<Double> values, double confidence) {
        requireNonEmpty(values);
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1) but was " + confidence);
        }
        int n = values.size();
        double m = mean(values);
        if (n == 1) {
            return new Summary(1, m, 0.0, m, m, true);
        }
        double sd = sampleStdDev(values);
        double half = studentTQuantile(0.5 + confidence / 2, n - 1) * sd / StrictMath.sqrt(n);
        // Rounding in m +/- half can push a zero-width interval past the mean; MetricSummary forbids that.
        return new Summary(n, m, sd, Math.min(m - half, m), Math.max(m + half, m), false);
    }

    /** P(T <= t) for Student's t with {@code df} degrees of freedom (df may be fractional). */
    public static double studentTCdf(double t, double df) {
        if (!(df > 0)) {
            throw new IllegalArgumentException("df must be > 0 but was " + df);
        }
        if (Double.isNaN(t)) {
            throw new IllegalArgumentException("t must not be NaN");
        }
        if (t == Double.POSITIVE_INFINITY) {
            return 1.0;
        }
        if (t == Double.NEGATIVE_INFINITY) {
            return 0.0;
        }
        // P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2)
        double tail = regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5) / 2;
        return t > 0 ? 1 - tail : tail;
    }

    /** The p-quantile of Student's t, found by bisection on the CDF (monotone, so always converges). */
    public static double studentTQuantile(double p, double df) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1) but was " + p);
        }
        if (p == 0.5) {
            return 0.0;
        }
        if (p < 0.5) {
            return -studentTQuantile(1 - p, df);
        }
        double lo = 0;
        double hi = 1;
        while (studentTCdf(hi, df) < p) {
            lo = hi;
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-14 * hi; i++) {
            double mid = (lo + hi) / 2;
            if (studentTCdf(mid, df) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /**
     * Welch's t-test from summary statistics, so a champion rebuilt from its published
     * {@code MetricSummary} is tested exactly like one whose repeats are in memory. Both samples
     * need n >= 2. With zero spread in both samples the test degenerates: any difference is
     * treated as certain (p = 0 or 1) and no difference as p = 0.5.
     */
    public static WelchTest welch(double meanA, double sdA, int nA, double meanB, double sdB, int nB) {
        if (nA < 2 || nB < 2) {
            throw new IllegalArgumentException("Welch's t-test needs n >= 2 in both samples but had " + nA + " and " + nB);
        }
        double va = sdA * sdA / nA;
        double vb = sdB * sdB / nB;
        double diff = meanA - meanB;
        double se2 = va + vb;
        if (se2 == 0) {
            double t = diff > 0 ? Double.POSITIVE_INFINITY : diff < 0 ? Double.NEGATIVE_INFINITY : 0.0;
            double pg = diff > 0 ? 0.0 : diff < 0 ? 1.0 : 0.5;
            return new WelchTest(t, nA + nB - 2, pg, 1 - pg);
        }
        double t = diff / StrictMath.sqrt(se2);
        double df = se2 * se2 / (va * va / (nA - 1) + vb * vb / (nB - 1));
        double cdf = studentTCdf(t, df);
        return new WelchTest(t, df, 1 - cdf, cdf);
    }

    /** Welch's t-test on raw samples. */
    public static WelchTest welch(List<Double> a, List<Double> b) {
        return welch(mean(a), sampleStdDev(a), a.size(), mean(b), sampleStdDev(b), b.size());
    }

    /** I_x(a, b), the regularized incomplete beta function. */
    public static double regularizedIncompleteBeta(double x, double a, double b) {
        if (!(a > 0 && b > 0)) {
            throw new IllegalArgumentException("a and b must be > 0 but were " + a + ", " + b);
        }
        if (!(x >= 0 && x <= 1)) {
            throw new IllegalArgumentException("x must be in [0, 1] but was " + x);
        }
        if (x == 0 || x == 1) {
            return x;
        }
        double lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * StrictMath.log(x) + b * StrictMath.log1p(-x);
        double front = StrictMath.exp(lnFront);
        // The continued fraction converges fast only left of the mean; use the symmetry otherwise.
        if (x < (a + 1) / (a + b + 2)) {
            return front * betaContinuedFraction(x, a, b) / a;
        }
        return 1 - front * betaContinuedFraction(1 - x, b, a) / b;
    }

    private static double betaContinuedFraction(double x, double a, double b) {
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.abs(d) < TINY) {
            d = TINY;
        }
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= MAX_ITERATIONS; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) {
                return h;
            }
        }
        throw new ArithmeticException("incomplete beta did not converge for x=" + x + ", a=" + a + ", b=" + b);
    }

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    /** ln Γ(x) for x > 0 (Lanczos, g = 7), accurate to about 1e-15 relative. */
    public static double logGamma(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("x must be > 0 but was " + x);
        }
        if (x < 0.5) {
            // Reflection keeps the approximation in its accurate range.
            return StrictMath.log(Math.PI / StrictMath.sin(Math.PI * x)) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        return 0.5 * StrictMath.log(2 * Math.PI) + (z + 0.5) * StrictMath.log(t) - t + StrictMath.log(sum);
    }

    private static void requireNonEmpty(List<Double> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("need at least one value");
        }
    }
}
