package dev.seedloop.proposer.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A steady-state evolution strategy over the unit cube.
 *
 * <p>Until {@code warmup} valid observations exist it proposes {@link SobolSearch} points. After
 * that each candidate applies one operator, drawn (seeded by ordinal) with the learner's
 * {@code operatorWeights} when they name any of {@code mutate}, {@code crossover}, {@code random},
 * otherwise with {@link #DEFAULT_WEIGHTS}:
 * <ul>
 *   <li>{@code mutate}: Gaussian step of size sigma on every numeric axis of one elite; each
 *       categorical is resampled with probability {@code categoricalRate}. Sigma follows the
 *       1/5th success rule replayed over the history (see {@link #stepSize}).</li>
 *   <li>{@code crossover}: per numeric axis a blend (BLX-alpha) of two distinct elites, per
 *       categorical a fair pick between them.</li>
 *   <li>{@code random}: a uniform point, for exploration.</li>
 * </ul>
 * Elites are the best {@code elites} valid observations; parents are drawn with a bias to the top.
 */
public final class EvolutionarySearch implements Strategy {

    public static final String NAME = "evolutionary";
    public static final String MUTATE = "mutate";
    public static final String CROSSOVER = "crossover";
    public static final String RANDOM = RandomSearch.OPERATOR;
    public static final Map<String, Double> DEFAULT_WEIGHTS = defaultWeights();

    static final double INITIAL_SIGMA = 0.15;
    /** Small on purpose: at ~100 evaluations a wider elite dilutes selection pressure (see docs/benchmarks.md). */
    static final int DEFAULT_ELITES = 3;
    static final double MIN_SIGMA = 0.002;
    static final double MAX_SIGMA = 0.5;
    /** exp(+1/3) per success and exp(-1/12) per failure balance exactly at a 1/5 success rate. */
    private static final double GROW = StrictMath.exp(1.0 / 3.0);
    private static final double SHRINK = StrictMath.exp(-1.0 / 12.0);

    private static final long OPERATOR_SALT = Seeds.salt("evolutionary.operator");
    private static final long MOVE_SALT = Seeds.salt("evolutionary.move");

    public static final EvolutionarySearch INSTANCE = new EvolutionarySearch();

    private EvolutionarySearch() {
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
        int eliteCount = Math.max(2, input.intOption("elites", DEFAULT_ELITES));
        List<RankedHistory.Point> elites = history.best(eliteCount);
        double sigma = stepSize(input, eliteCount);
        double categoricalRate = input.doubleOption("categoricalRate", Math.max(0.1, 1.0 / unit.dims()));
        double alpha = input.doubleOption("blend", 0.3);
        Map<String, Double> weights = operatorWeights(input.operatorWeights());

        List<Candidate> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int ordinal = input.nextOrdinal() + i;
            String operator = draw(weights, Seeds.stream(input.seed(), OPERATOR_SALT, ordinal));
            SplittableRandom random = Seeds.stream(input.seed(), MOVE_SALT, ordinal);
            out.add(switch (operator) {
                case MUTATE -> {
                    RankedHistory.Point parent = elites.get(pickRank(elites.size(), random));
                    double[] child = mutate(unit, parent.unit(), sigma, categoricalRate, random);
                    yield new Candidate(ordinal, unit.decode(child), MUTATE, List.of(parent.observation().proposalId()));
                }
                case CROSSOVER -> {
                    int a = pickRank(elites.size(), random);
                    int b = pickRank(elites.size() - 1, random);
                    if (b >= a) {
                        b++;
                    }
                    RankedHistory.Point first = elites.get(a);
                    RankedHistory.Point second = elites.get(b);
                    double[] child = crossover(unit, first.unit(), second.unit(), alpha, random);
                    yield new Candidate(ordinal, unit.decode(child), CROSSOVER,
                            List.of(first.observation().proposalId(), second.observation().proposalId()));
                }
                default -> new Candidate(ordinal, RandomSearch.sample(input.space(), input.seed(), ordinal), RANDOM, List.of());
            });
        }
        return out;
    }

    /**
     * The mutation step size, replayed from the history in observation order: a {@code mutate}
     * result counts as a success when it beats the {@code eliteCount}-th best result seen before it
     * (it would have entered the elite), a failure otherwise, including failed runs. Successes grow
     * sigma, failures shrink it, stationary at a 1/5 success rate. Starts from option {@code sigma}.
     */
    public static double stepSize(StrategyInput input, int eliteCount) {
        double sigma = input.doubleOption("sigma", INITIAL_SIGMA);
        List<Double> seen = new ArrayList<>();
        for (Observation o : input.history()) {
            boolean valid = o.isValid();
            double score = valid ? input.score(o) : Double.NaN;
            if (MUTATE.equals(o.operator())) {
                boolean success = valid && (seen.size() < eliteCount || score < seen.get(eliteCount - 1));
                sigma *= success ? GROW : SHRINK;
                sigma = Math.min(MAX_SIGMA, Math.max(MIN_SIGMA, sigma));
            }
            if (valid) {
                insertSorted(seen, score);
            }
        }
        return sigma;
    }


    private static double[] mutate(UnitSpace unit, double[] parent, double sigma, double categoricalRate,
                                   SplittableRandom random) {
        double[] child = parent.clone();
        for (int j = 0; j < child.length; j++) {
            if (unit.isCategorical(j)) {
                if (random.nextDouble() < categoricalRate) {
                    child[j] = unit.choiceCentre(j, random.nextInt(unit.levels(j)));
                }
                continue;
            }
            // An INT axis with few levels needs a step of about one level, or mutation never moves it.
            double step = unit.levels(j) > 0 ? Math.max(sigma, 0.5 / unit.levels(j)) : sigma;
            child[j] = reflect(parent[j] + step * gaussian(random));
        }
        return child;
    }

    private static double[] crossover(UnitSpace unit, double[] a, double[] b, double alpha, SplittableRandom random) {
        double[] child = new double[a.length];
        for (int j = 0; j < child.length; j++) {
            if (unit.isCategorical(j)) {
                child[j] = random.nextBoolean() ? a[j] : b[j];
                continue;
            }
            double low = Math.min(a[j], b[j]);
            double high = Math.max(a[j], b[j]);
            double span = high - low;
            child[j] = reflect(low - alpha * span + random.nextDouble() * (1 + 2 * alpha) * span);
        }
        return child;
    }

    /** Mirror at the faces of the cube: clamping would pile mass onto the bounds. */
    static double reflect(double u) {
        double x = Math.abs(u) % 2.0;
        return x > 1 ? 2 - x : x;
    }

    /** Rank in [0, n) biased to the best: the square of a uniform favours small ranks. */
    private static int pickRank(int n, SplittableRandom random) {
        double u = random.nextDouble();
        return Math.min(n - 1, (int) (n * u * u));
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller from the seeded stream; java.util.Random's nextGaussian would need a second generator.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    private static Map<String, Double> operatorWeights(Map<String, Double> fromLearner) {
        Map<String, Double> weights = new LinkedHashMap<>();
        double total = 0;
        for (String op : DEFAULT_WEIGHTS.keySet()) {
            Double w = fromLearner.get(op);
            if (w != null && Double.isFinite(w) && w > 0) {
                weights.put(op, w);
                total += w;
            }
        }
        return total > 0 ? weights : DEFAULT_WEIGHTS;
    }

    private static String draw(Map<String, Double> weights, SplittableRandom random) {
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double target = random.nextDouble() * total;
        String last = null;
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            last = e.getKey();
            target -= e.getValue();
            if (target < 0) {
                return last;
            }
        }
        return last;
    }

    private static void insertSorted(List<Double> sorted, double value) {
        int at = 0;
        while (at < sorted.size() && sorted.get(at) <= value) {
            at++;
        }
        sorted.add(at, value);
    }

    private static Map<String, Double> defaultWeights() {
        Map<String, Double> w = new LinkedHashMap<>();
        w.put(MUTATE, 0.7);
        w.put(CROSSOVER, 0.2);
        w.put(RANDOM, 0.1);
        return java.util.Collections.unmodifiableMap(w);
    }
}
