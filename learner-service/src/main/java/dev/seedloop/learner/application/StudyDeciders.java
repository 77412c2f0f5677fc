package dev.seedloop.learner.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.seedloop.learner.domain.StrategySettings;
import dev.seedloop.learner.domain.StudyDecider;
import dev.seedloop.learner.projection.application.JsonEncodedSize;

/** The learner's one {@link StudyDecider}: the recorder and the replay fold and decide with the same value. */
@ApplicationScoped
public class StudyDeciders {

    @Produces
    @Singleton
    StudyDecider studyDecider() {
        return new StudyDecider(StrategySettings.DEFAULTS, JsonEncodedSize.INSTANCE);
    }
}
