package dev.seedloop.learner.domain;

import dev.seedloop.learner.projection.application.JsonEncodedSize;

/** The decider the learner runs with ({@code application.StudyDeciders}), for tests. */
public final class Deciders {

    public static final StudyDecider DEFAULT = new StudyDecider(StrategySettings.DEFAULTS, JsonEncodedSize.INSTANCE);

    private Deciders() {
    }
}
