package dev.seedloop.evaluator.domain;

/**
 * Knobs of the {@link PromotionRule}. Part of what {@code evaluatorSha256} should identify, since
 * changing them changes verdicts.
 *
 * @param alpha                  significance level of the one-sided Welch test, in (0, 1)
 * @param minImprovement         absolute noise floor in metric units, >= 0
 * @param minRelativeImprovement noise floor relative to |champion mean|, >= 0
 * @param heldOutTolerance       allowed held-out degradation relative to |champion held-out|, >= 0
 * @param confidence             level of the reported confidence interval, in (0, 1)
 */
public record PromotionSettings(double alpha, double minImprovement, double minRelativeImprovement,
                                double heldOutTolerance, double confidence) {

    public static final PromotionSettings DEFAULTS = new PromotionSettings(0.05, 0.0, 1e-9, 0.05, 0.95);

    public PromotionSettings {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1) but was " + alpha);
        }
        if (!(minImprovement >= 0) || !Double.isFinite(minImprovement)) {
            throw new IllegalArgumentException("minImprovement must be finite and >= 0 but was " + minImprovement);
        }
        if (!(minRelativeImprovement >= 0) || !Double.isFinite(minRelativeImprovement)) {
            throw new IllegalArgumentException("minRelativeImprovement must be finite and >= 0 but was " + minRelativeImprovement);
        }
        if (!(heldOutTolerance >= 0) || !Double.isFinite(heldOutTolerance)) {
            throw new IllegalArgumentException("heldOutTolerance must be finite and >= 0 but was " + heldOutTolerance);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1) but was " + confidence);
        }
    }
}
