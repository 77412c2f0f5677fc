package dev.seedloop.evaluator.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The evaluator's settings ({@code seedloop.evaluator.*}): the promotion rule's (see the README) and its lookups. */
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

    /**
     * How long a lookup may wait for the study directory to read its topics up to now. Longer is a transient failure,
     * retried under the channel's policy; a study still unknown after reading up to now is the record's own problem
     * (dead-lettered).
     */
    @WithDefault("30s")
    Duration viewWait();
}
