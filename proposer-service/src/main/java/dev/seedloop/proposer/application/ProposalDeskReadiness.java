package dev.seedloop.proposer.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@value #NAME}: DOWN until the start-up pass has proposed what active studies were owed when this
 * instance started (read from the topics), so "ready" means every held request is either proposed or still held.
 */
@Readiness
@ApplicationScoped
public class ProposalDeskReadiness implements HealthCheck {

    public static final String NAME = "proposer-owed-requests";

    @Inject
    ProposalDesk desk;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(desk.startPassDone())
                .withData("start-up pass", desk.startPassDone() ? "done" : "reading the topics").build();
    }
}
