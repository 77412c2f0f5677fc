package dev.seedloop.gateway.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.seedloop.gateway.application.CallerResolver;
import dev.seedloop.gateway.application.LearnerQueries;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Uni;

/**
 * A study's charts, aggregated by the learner (issue #16): a dashboard draws a study of 10 000 experiments or more
 * from one bounded answer instead of reading every event. Its own path literal, longer than {@link StudyResource}'s,
 * so JAX-RS hands these requests here. Another team's study answers 404 like everywhere else.
 */
@Path("/api/v1/studies/{studyId}/charts")
@Tag(name = "studies", description = "Studies of the caller's team: create, fork, steer, read, stream")
@SecurityRequirement(name = ApiSecurity.SCHEME)
public class ChartResource {

    @Inject
    LearnerQueries queries;

    @Inject
    CallerResolver callers;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Operation(operationId = "getStudyCharts",
            summary = "What a study's charts show, aggregated: objective per evaluation (downsampled), champions,"
            + " experiments per state, failures by reason, the search space",
            description = "Aggregated from the study's events up to `at` (a study sequence; the head without it)."
                    + " `points` evaluations at most (" + Query.MIN_CHART_POINTS + " to " + Query.MAX_CHART_POINTS
                    + ", default " + Query.DEFAULT_CHART_POINTS + "): beyond that, every champion's point and the"
                    + " latest are kept and the rest of the order is cut into stretches whose lowest and highest"
                    + " points are kept; `pointsOmitted` says how many were left out. An evaluation without a value"
                    + " (its experiment failed) has no point. `champions` holds every champion change.")
    @APIResponse(responseCode = "200", description = "the study's charts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Views.StudyChartsView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Views.StudyChartsView> charts(@PathParam("studyId") String studyId,
            @Parameter(description = "a study sequence: the charts as they were after that event (the head without it)",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
            @QueryParam("at") String at,
            @Parameter(description = "the most evaluation points the answer holds",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "10", maximum = "5000",
                            defaultValue = "2000"))
            @QueryParam("points") String points) {
        return queries.charts(callers.caller().team(), studyId, sequence(at), points(points));
    }

    /** null (the head) when absent; parsed here so that a malformed value is a 400 problem, not a 404. */
    private static Long sequence(String at) {
        if (at == null || at.isBlank()) {
            return null;
        }
        try {
            long value = Long.parseLong(at.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Answered below, as for a negative one.
        }
        throw new BadRequestException("at must be a study sequence number (0 or more), not '" + at + "'");
    }

    private static int points(String points) {
        if (points == null || points.isBlank()) {
            return Query.DEFAULT_CHART_POINTS;
        }
        try {
            int value = Integer.parseInt(points.strip());
            if (value >= Query.MIN_CHART_POINTS && value <= Query.MAX_CHART_POINTS) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Answered below, as for one out of range.
        }
        throw new BadRequestException("points must be a number within [" + Query.MIN_CHART_POINTS + ", "
                + Query.MAX_CHART_POINTS + "], not '" + points + "'");
    }
}
