package dev.seedloop.learner.domain;

/** Beta(alpha, beta) belief that an operator's next proposal improves the study. */
public record BetaPosterior(double alpha, double beta) {

    public BetaPosterior {
        if (!(alpha > 0 && beta > 0) || !Double.isFinite(alpha) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("alpha and beta must be finite and > 0 but were " + alpha + ", " + beta);
        }
    }

    public BetaPosterior success() {
        return new BetaPosterior(alpha + 1, beta);
    }

    public BetaPosterior failure() {
        return new BetaPosterior(alpha, beta + 1);
    }
}
