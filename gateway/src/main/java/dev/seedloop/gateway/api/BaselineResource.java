package dev.seedloop.gateway.api;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.seedloop.gateway.application.CallerResolver;
import dev.seedloop.gateway.application.StudyCommands;
import dev.seedloop.gateway.application.StudyComparisons;
import dev.seedloop.gateway.domain.StudyComparison;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * What evolution added: a study's baseline (its sibling on the same budget with best-of-N sampling or random search)
 * and the comparison of two of the team's studies. Another team's study is 404 like a missing one, on either side.
 */
@Path("/api/v1/studies")
@Tag(name = "studies", description = "Studies of the caller's team: create, fork, steer, read, stream")
@SecurityRequirement(name = ApiSecurity.SCHEME)
public class BaselineResource {

    @Inject
    StudyCommands commands;

    @Inject
    StudyComparisons comparisons;

    @Inject
    CallerResolver callers;

    @POST
    @Path("{studyId}/baseline")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"researcher", "admin"})
    @Blocking
    @Operation(operationId = "startBaseline",
            summary = "Start the study's baseline: the same study on the same budget with the strategy evolution must"
            + " beat",
            description = "A sibling study of the same team with the study's objective, search space, workspace,"
                    + " experiment, validation, seed and budget (model caps included), whose strategy is best-of-N"
                    + " sampling from the seed program (llm with mode best-of-n) for an llm study and random search"
                    + " for a parameter study. It is recorded as a fork at the study's first event that inherits"
                    + " nothing, and its id is derived from the study's, so a study has one baseline. Admitted like a"
                    + " new study. Compare them with GET .../comparison?with={baselineId}.")
    @APIResponse(responseCode = "201", description = "the baseline, started",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = StudyResource.StudyAccepted.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", description = "the study has its baseline already, is a baseline, or already"
            + " runs the baseline's strategy", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", ref = ProblemResponses.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Response> start(@PathParam("studyId") String studyId) {
        return commands.baseline(callers.caller(), studyId).map(event -> Response
                .created(URI.create("/api/v1/studies/" + event.studyId()))
                .entity(StudyResource.StudyAccepted.of(event)).build());
    }

    @GET
    @Path("{studyId}/comparison")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Operation(operationId = "compareStudies", summary = "The study against another of the team, e.g. its baseline",
            description = "For each study: its strategy, experiments evaluated, best value with its confidence"
                    + " interval, its first champion's value and the improvement since, model calls and spend; then a"
                    + " verdict for the study against the other: better, worse, no-difference-shown (overlapping"
                    + " intervals, or a champion without one) or not-comparable (different objectives, or no"
                    + " champion yet).")
    @APIResponse(responseCode = "200", description = "the comparison",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = StudyComparison.Result.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<StudyComparison.Result> compare(@PathParam("studyId") String studyId,
            @Parameter(description = "the other study's id (the team's), e.g. the baseline's", required = true)
            @QueryParam("with") String with) {
        if (with == null || with.isBlank()) {
            throw new BadRequestException("with must name the study to compare with: ?with={studyId}");
        }
        if (with.strip().equals(studyId)) {
            throw new BadRequestException("a study is compared with another study, not with itself");
        }
        return comparisons.compare(callers.caller().team(), studyId, with.strip());
    }
}
