package dev.seedloop.learner.domain;

import static dev.seedloop.learner.domain.Events.experiment;
import static dev.seedloop.learner.domain.Events.proposal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.learner.query.domain.ExperimentLogs;
import dev.seedloop.queries.Views;

class ExperimentLogsTest {

    private final Events ev = new Events();

    @Test
    void anExperimentOnlyStartedIsRunningWithoutATail() {
        UUID id = experiment(proposal(1));

        assertThat(ExperimentLogs.view(id, List.of(ev.started(proposal(1)))))
                .contains(new Views.ExperimentLogView(id, proposal(1), "running", null, null, null));
    }

    @Test
    void aCompletedExperimentShowsItsLastExitCodeAndLogTail() {
        EventEnvelope completed = SampleEvents.experimentCompleted();

        assertThat(ExperimentLogs.view(SampleEvents.EXPERIMENT_ID,
                List.of(SampleEvents.experimentStarted(), completed)))
                .contains(new Views.ExperimentLogView(SampleEvents.EXPERIMENT_ID, SampleEvents.PROPOSAL_ID, "completed",
                        0, null, "epoch 20/20 val_loss=0.0400\nsaved metrics.json\n"));
    }

    @Test
    void aFailedExperimentShowsReasonDetailAndTailEvenIfItsStartCameLater() {
        UUID id = experiment(proposal(1));

        assertThat(ExperimentLogs.view(id, List.of(ev.failed(proposal(1)), ev.started(proposal(1)))))
                .contains(new Views.ExperimentLogView(id, proposal(1), "failed", null, "crashed: boom", ""));
    }

    @Test
    void eventsOfOtherExperimentsAreNotItsLog() {
        assertThat(ExperimentLogs.view(experiment(proposal(2)), List.of(ev.started(proposal(1)),
                ev.completed(proposal(1), 0.3)))).isEmpty();
    }
}
