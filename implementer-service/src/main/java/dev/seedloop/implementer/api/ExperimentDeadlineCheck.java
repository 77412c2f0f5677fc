package dev.seedloop.implementer.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import dev.seedloop.implementer.application.RunningExperiment;
import dev.seedloop.implementer.application.RunningExperiments;

/**
 * Health of the experiments themselves, in place of the messaging connector's fixed 60 s limit on an
 * unacknowledged proposal (switched off for that channel, ADR 0017): an experiment may run for hours, so
 * each is held to its own deadline (its commands' wall timeouts plus a grace). One still running after it
 * has a run that could not be killed and holds a worker for ever: DOWN, for readiness and liveness both,
 * so an orchestrator restarts the instance and the proposal is redelivered.
 */
@Liveness
@Readiness
@ApplicationScoped
public class ExperimentDeadlineCheck implements HealthCheck {

    static final String NAME = "experiments";

    @Inject
    RunningExperiments running;

    @Inject
    Clock clock;

    @Override
    public HealthCheckResponse call() {
        Instant now = clock.instant();
        List<RunningExperiment> overdue = running.overdue(now);
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(overdue.isEmpty())
                .withData("running", running.count());
        for (RunningExperiment experiment : overdue) {
            response.withData("experiment " + experiment.experimentId(), "study " + experiment.studyId()
                    + ": still running " + Duration.between(experiment.deadline(), now).toSeconds()
                    + " s after its deadline " + experiment.deadline());
        }
        return response.build();
    }
}
