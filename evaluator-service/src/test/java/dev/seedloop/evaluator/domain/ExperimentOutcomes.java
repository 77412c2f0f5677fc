package dev.seedloop.evaluator.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.Services;

/** Experiment outcomes of the sample study for domain tests. */
final class ExperimentOutcomes {

    private ExperimentOutcomes() {
    }

    /** ExperimentCompleted of the sample study with one {@code val_loss} repeat per value. */
    static EventEnvelope completed(UUID experimentId, UUID proposalId, double... values) {
        List<RepeatResult> repeats = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            repeats.add(new RepeatResult(1000 + i, Map.of("val_loss", values[i]), 1000, 0));
        }
        EventEnvelope sample = SampleEvents.experimentCompleted();
        return new EventEnvelope(EventIds.derived(experimentId, "completed-event"), sample.studyId(), sample.team(),
                sample.occurredAt(), sample.causationId(), sample.correlationId(), Services.IMPLEMENTER,
                new ExperimentCompleted(experimentId, proposalId, repeats, ResourceUsage.NONE, ""));
    }
}
