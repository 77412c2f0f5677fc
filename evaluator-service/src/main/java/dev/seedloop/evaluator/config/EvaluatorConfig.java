package dev.seedloop.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The evaluator's promotion settings ({@code seedloop.evaluator.*}); see the README for the rule. */
@ConfigMapping(prefix = "seedloop.evaluator")
public interface EvaluatorConfig {

    /** One-sided significance level of the Welch test a challenger must pass. */
    @WithDefault("0.05")
    double alpha();

    /** Absolute noise floor: improvements no larger are "not better". */
    @WithDefault("0")
    double minImprovement();

    /** Noise floor relative to the champion's mean. */
    @WithDefault("1e-9")
    double minRelativeImprovement();

    /** Confidence level of the reported interval of the mean. */
    @WithDefault("0.95")
    double confidence();
}
