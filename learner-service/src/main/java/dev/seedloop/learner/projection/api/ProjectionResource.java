package dev.seedloop.learner.projection.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.seedloop.learner.projection.application.FullProjectionRebuild;
import io.smallrye.mutiny.Uni;

/**
 * Drops every projection and rebuilds it from the event store ({@link FullProjectionRebuild}); answers what was
 * dropped and rebuilt. Internal, like {@code StudyStateResource}: for operators, never routed by the gateway.
 * 409 while another rebuild or a restore runs.
 */
@Path("/internal/projections")
public class ProjectionResource {

    @Inject
    FullProjectionRebuild rebuild;

    @POST
    @Path("/rebuild")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<FullProjectionRebuild.Report> rebuild() {
        return rebuild.rebuild();
    }
}
