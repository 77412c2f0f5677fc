package dev.seedloop.proposer.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011) over the unit cube.
 *
 * <p>Until {@code warmup} valid observations exist it proposes {@link SobolSearch} points. Then
 * the valid history is split at quantile {@code gamma} into good and bad points, and each group
 * becomes a Parzen mixture: one kernel per point plus a broad prior kernel. A numeric axis uses a
 * Gaussian truncated to [0, 1] with bandwidth {@code bandwidth * n^(-1/(d+4))} (Scott-style), a
 * categorical axis keeps the point's choice with probability {@code 1 - categoricalNoise} and
 * otherwise picks uniformly, so a group's marginal over choices is its choice frequency smoothed
 * by a uniform prior. {@code candidates} samples are drawn from the good mixture and the one with
 * the largest l(x)/g(x) is proposed.
 *
 * <p>With {@code multivariate=true} (default) a kernel is a product over axes, so correlations
 * between good coordinates survive; a candidate then names the good point whose kernel it was
 * drawn from as its one parent (none when drawn from the prior). With {@code multivariate=false}
 * every axis has its own independent mixture, as in the original TPE, and candidates have no parent.
 */
public final class TpeSearch implements Strategy {

    public static final String NAME = "tpe";
    public static final String OPERATOR = "tpe";
    private static final long SALT = Seeds.salt("tpe");
    private static final double PRIOR_SIGMA = 1.0;
    /** Kernel widths from the gaps between a group's points, per axis (default). */
    static final String NEIGHBOUR = "neighbour";
    /** One width for every kernel, shrinking with the group's size: the rule before ADR 0030. */
    static final String SCOTT = "scott";
    private static final int DUPLICATE_ROUNDS = 4;

    /**
     * The options that give the TPE from before ADR 0030 (one Scott-style width, uncapped good group, 24 candidates, no
     * near-duplicate check): a study recorded then replays exactly with them.
     */
    public static final Map<String, String> BEFORE_ADR_0030 = Map.of("bandwidthRule", "scott", "gamma", "0.15",
            "gammaCap", "0", "candidates", "24", "duplicateTolerance", "-1");

    public static final TpeSearch INSTANCE = new TpeSearch();

    private TpeSearch() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Candidate> propose(StrategyInput input, int count) {
        UnitSpace unit = new UnitSpace(input.space());
        RankedHistory history = new RankedHistory(input, unit);
        if (history.inWarmup(input, unit)) {
            return SobolSearch.INSTANCE.propose(input, count);
        }
        double gamma = input.doubleOption("gamma", 0.15);
        int gammaCap = input.intOption("gammaCap", 25);
        int samples = Math.max(1, input.intOption("candidates", 64));
        String rule = input.stringOption("bandwidthRule", NEIGHBOUR);
        if (!rule.equals(NEIGHBOUR) && !rule.equals(SCOTT)) {
            throw new IllegalArgumentException("option 'bandwidthRule' must be " + NEIGHBOUR + " or " + SCOTT
                    + " but was '" + rule + "'");
        }
        double bandwidth = input.doubleOption("bandwidth", rule.equals(SCOTT) ? 0.1 : 1.0);
        double categoricalNoise = input.doubleOption("categoricalNoise", 0.2);
        boolean multivariate = input.booleanOption("multivariate", true);
        NearDuplicates taken = new NearDuplicates(unit, input, input.doubleOption("duplicateTolerance", 1e-3));

        List<RankedHistory.Point> all = history.all();
        int goodCount = (int) Math.ceil(gamma * all.size());
        if (gammaCap > 0) {
            goodCount = Math.min(gammaCap, goodCount);
        }
        goodCount = Math.max(1, Math.min(all.size() - 1, goodCount));
        Mixture good = new Mixture(unit, all.subList(0, goodCount), rule, bandwidth, categoricalNoise);
        Mixture bad = new Mixture(unit, all.subList(goodCount, all.size()), rule, bandwidth, categoricalNoise);

        List<Candidate> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int ordinal = input.nextOrdinal() + i;
            SplittableRandom random = Seeds.stream(input.seed(), SALT, ordinal);
            Drawn first = null;
            Drawn chosen = null;
            // Best l/g first; a candidate the study already ran (or runs) gives way to the next best, and when
            // a whole round is taken another round is drawn. Past the last round the space near the good points
            // is exhausted at this resolution, and the best candidate goes ahead anyway.
            for (int round = 0; round < DUPLICATE_ROUNDS && chosen == null; round++) {
                List<Drawn> drawn = new ArrayList<>(samples);
                for (int s = 0; s < samples; s++) {
                    double[] x = new double[unit.dims()];
                    int component = multivariate ? good.sampleJoint(x, random) : good.sampleIndependent(x, random);
                    double ratio = multivariate
                            ? good.logJoint(x) - bad.logJoint(x)
                            : good.logIndependent(x) - bad.logIndependent(x);
                    drawn.add(new Drawn(x, component, ratio, s));
                }
                // Stable: ties keep draw order, so the first best candidate is the one the plain argmax picks.
                drawn.sort((a, b) -> Double.compare(b.ratio(), a.ratio()));
                if (first == null) {
                    first = drawn.get(0);
                }
                for (Drawn d : drawn) {
                    if (!taken.isDuplicate(d.x())) {
                        chosen = d;
                        break;
                    }
                }
            }
            if (chosen == null) {
                chosen = first;
            }
            taken.take(chosen.x());
            List<java.util.UUID> parents = chosen.component() >= 0
                    ? List.of(all.get(chosen.component()).observation().proposalId())
                    : List.of();
            out.add(new Candidate(ordinal, unit.decode(chosen.x()), OPERATOR, parents));
        }
        return out;
    }

    /** One sample from the good mixture: where, from which kernel (-1: the prior), its log l/g. */
    private record Drawn(double[] x, int component, double ratio, int index) {
    }

    /** A Parzen mixture: kernels centred on a group's points plus one prior kernel at the centre. */
    private static final class Mixture {
        private final UnitSpace unit;
        private final int n;
        private final double[][] centres;
        /** Kernel width per kernel and axis; the prior is last. */
        private final double[][] sigma;
        /** log of the mass each kernel keeps inside [0, 1], per kernel and axis; the prior is last. */
        private final double[][] logMass;
        private final double categoricalNoise;

        Mixture(UnitSpace unit, List<RankedHistory.Point> points, String rule, double bandwidth,
                double categoricalNoise) {
            this.unit = unit;
            this.n = points.size();
            this.categoricalNoise = categoricalNoise;
            int d = unit.dims();
            this.centres = new double[n + 1][];
            for (int c = 0; c < n; c++) {
                centres[c] = points.get(c).unit();
            }
            centres[n] = new double[d];
            java.util.Arrays.fill(centres[n], 0.5);
            this.sigma = new double[n + 1][d];
            if (rule.equals(SCOTT)) {
                double width = bandwidth * StrictMath.pow(Math.max(1, n), -1.0 / (d + 4));
                // Never narrower than the spacing n points could resolve (the "magic clip" of hyperopt).
                double floor = 1.0 / Math.min(100, n + 1);
                for (int c = 0; c < n; c++) {
                    java.util.Arrays.fill(sigma[c], Math.max(width, floor * 0.5));
                }
            } else {
                for (int j = 0; j < d; j++) {
                    neighbourWidths(j, bandwidth);
                }
            }
            java.util.Arrays.fill(sigma[n], PRIOR_SIGMA);
            this.logMass = new double[n + 1][d];
            for (int c = 0; c <= n; c++) {
                for (int j = 0; j < d; j++) {
                    if (!unit.isCategorical(j)) {
                        double mu = centres[c][j];
                        double mass = Normal.cdf((1 - mu) / sigma[c][j]) - Normal.cdf(-mu / sigma[c][j]);
                        logMass[c][j] = StrictMath.log(Math.max(mass, 1e-300));
                    }
                }
            }
        }

        /**
         * Each kernel's width on axis {@code j}: {@code bandwidth} times the larger gap to its neighbours among the
         * group's coordinates on that axis (the axis ends count as neighbours, except that the outermost points
         * look inwards only), clipped to [1/min(100, n + 2), 1]. Points in a tight cluster get narrow kernels and
         * isolated ones wide kernels, per axis: a fixed width either blurs a cluster the good points found or
         * leaves gaps between scattered ones.
         */
        private void neighbourWidths(int j, double bandwidth) {
            Integer[] order = new Integer[n];
            for (int c = 0; c < n; c++) {
                order[c] = c;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(centres[a][j], centres[b][j]));
            double min = 1.0 / Math.min(100, n + 2);
            for (int r = 0; r < n; r++) {
                double here = centres[order[r]][j];
                double left = r == 0 ? here : here - centres[order[r - 1]][j];
                double right = r == n - 1 ? 1 - here : centres[order[r + 1]][j] - here;
                double gap = n >= 2 && r == 0 ? right : n >= 2 && r == n - 1 ? left : Math.max(left, right);
                sigma[order[r]][j] = Math.min(1, Math.max(min, bandwidth * gap));
            }
        }

        /** Fills {@code x} from one kernel; returns its index into the group, or -1 for the prior. */
        int sampleJoint(double[] x, SplittableRandom random) {
            int c = random.nextInt(n + 1);
            for (int j = 0; j < x.length; j++) {
                x[j] = sampleAxis(c, j, random);
            }
            return c == n ? -1 : c;
        }

        int sampleIndependent(double[] x, SplittableRandom random) {
            for (int j = 0; j < x.length; j++) {
                x[j] = sampleAxis(random.nextInt(n + 1), j, random);
            }
            return -1;
        }

        private double sampleAxis(int c, int j, SplittableRandom random) {
            if (unit.isCategorical(j)) {
                int k = unit.levels(j);
                int index = c < n && random.nextDouble() >= categoricalNoise
                        ? unit.choiceIndex(j, centres[c][j])
                        : random.nextInt(k);
                return unit.choiceCentre(j, index);
            }
            // Rejection keeps the truncated normal exact; the clamp only guards pathological widths.
            for (int attempt = 0; attempt < 64; attempt++) {
                double v = centres[c][j] + sigma[c][j] * EvolutionarySearch.gaussian(random);
                if (v >= 0 && v <= 1) {
                    return v;
                }
            }
            return UnitSpace.clamp(centres[c][j]);
        }

        double logJoint(double[] x) {
            double[] terms = new double[n + 1];
            for (int c = 0; c <= n; c++) {
                double sum = 0;
                for (int j = 0; j < x.length; j++) {
                    sum += logKernel(c, j, x[j]);
                }
                terms[c] = sum;
            }
            return logSumExp(terms) - StrictMath.log(n + 1);
        }

        double logIndependent(double[] x) {
            double total = 0;
            double[] terms = new double[n + 1];
            for (int j = 0; j < x.length; j++) {
                for (int c = 0; c <= n; c++) {
                    terms[c] = logKernel(c, j, x[j]);
                }
                total += logSumExp(terms) - StrictMath.log(n + 1);
            }
            return total;
        }

        private double logKernel(int c, int j, double xj) {
            if (unit.isCategorical(j)) {
                int k = unit.levels(j);
                if (c == n) {
                    return -StrictMath.log(k);
                }
                boolean same = unit.choiceIndex(j, xj) == unit.choiceIndex(j, centres[c][j]);
                return StrictMath.log((same ? 1 - categoricalNoise : 0) + categoricalNoise / k);
            }
            double z = (xj - centres[c][j]) / sigma[c][j];
            return -0.5 * z * z - StrictMath.log(sigma[c][j]) - 0.5 * StrictMath.log(2 * Math.PI) - logMass[c][j];
        }

        private static double logSumExp(double[] terms) {
            double max = Double.NEGATIVE_INFINITY;
            for (double t : terms) {
                max = Math.max(max, t);
            }
            if (max == Double.NEGATIVE_INFINITY) {
                return max;
            }
            double sum = 0;
            for (double t : terms) {
                sum += StrictMath.exp(t - max);
            }
            return max + StrictMath.log(sum);
        }
    }

    /** Standard normal CDF; the JDK has none. */
    static final class Normal {
        private Normal() {
        }

        static double cdf(double z) {
            return 0.5 * (1 + erf(z / Math.sqrt(2)));
        }

        /** Abramowitz and Stegun 7.1.26: absolute error below 1.5e-7, ample for kernel masses. */
        static double erf(double x) {
            double sign = Math.signum(x);
            double a = Math.abs(x);
            double t = 1 / (1 + 0.3275911 * a);
            double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                    + 0.254829592) * t * StrictMath.exp(-a * a);
            return sign * y;
        }
    }
}
