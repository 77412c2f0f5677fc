package dev.seedloop.gateway.api;

import java.time.Clock;
import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.seedloop.gateway.application.Caller;
import dev.seedloop.gateway.application.CallerResolver;
import dev.seedloop.gateway.application.LearnerQueries;
import dev.seedloop.gateway.application.StudyCommands;
import dev.seedloop.gateway.domain.TeamQuotas;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Uni;

/** A team's quotas and usage. Only the caller's own team exists for the caller (another team: 404). */
@Path("/api/v1/teams/{team}/quota")
@Tag(name = "teams", description = "A team's quotas and usage")
@SecurityRequirement(name = ApiSecurity.SCHEME)
public class TeamResource {

    static final int MAX_CONCURRENT = 1_000;
    static final int MAX_PER_DAY = 10_000_000;

    /** The quotas in force and today's usage (days start at 00:00 UTC). */
    public record TeamQuota(String team, int maxConcurrentStudies, int maxExperimentsPerDay, int activeStudies,
            int experimentsToday, String setBy, Instant setAt) {
    }

    /** New quotas; both are required. */
    public record QuotaRequest(Integer maxConcurrentStudies, Integer maxExperimentsPerDay) {
    }

    @Inject
    CallerResolver callers;

    @Inject
    LearnerQueries queries;

    @Inject
    StudyCommands commands;

    @Inject
    Clock clock;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Operation(operationId = "getTeamQuota", summary = "The team's quotas and today's usage",
            description = "The quotas in force (the admin's, else the operator's defaults) and today's usage (days"
                    + " start at 00:00 UTC). Only the caller's own team exists for the caller.")
    @APIResponse(responseCode = "200", description = "the quotas and usage",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TeamQuota.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<TeamQuota> get(@PathParam("team") String team) {
        Caller caller = ownTeam(team);
        return usage(caller).map(usage -> view(usage, commands.limits(usage)));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(operationId = "setTeamQuota", summary = "Set the team's quotas (team admins only)",
            description = "Records TeamQuotaSet; both quotas are required, maxConcurrentStudies within [1, "
                    + MAX_CONCURRENT + "] and maxExperimentsPerDay within [1, " + MAX_PER_DAY + "].")
    @APIResponse(responseCode = "200", description = "the quotas now in force and today's usage",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TeamQuota.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<TeamQuota> set(@PathParam("team") String team, QuotaRequest request) {
        Caller caller = ownTeam(team);
        if (request == null || request.maxConcurrentStudies() == null || request.maxExperimentsPerDay() == null) {
            throw new BadRequestException("both maxConcurrentStudies and maxExperimentsPerDay are required");
        }
        within("maxConcurrentStudies", request.maxConcurrentStudies(), MAX_CONCURRENT);
        within("maxExperimentsPerDay", request.maxExperimentsPerDay(), MAX_PER_DAY);
        return commands.setQuota(caller, request.maxConcurrentStudies(), request.maxExperimentsPerDay())
                .chain(event -> usage(caller).map(usage -> new TeamQuota(caller.team(),
                        request.maxConcurrentStudies(), request.maxExperimentsPerDay(), usage.activeStudies(),
                        usage.experimentsToday(), caller.username(), event.occurredAt())));
    }

    private Caller ownTeam(String team) {
        Caller caller = callers.caller();
        if (!caller.team().equals(team)) {
            throw new NotFoundException("no such team: " + team);
        }
        return caller;
    }

    private Uni<Views.TeamUsageView> usage(Caller caller) {
        return queries.teamUsage(caller.team(), TeamQuotas.dayStart(clock.instant()));
    }

    private static TeamQuota view(Views.TeamUsageView usage, TeamQuotas.Limits limits) {
        return new TeamQuota(usage.team(), limits.maxConcurrentStudies(), limits.maxExperimentsPerDay(),
                usage.activeStudies(), usage.experimentsToday(), usage.quotaSetBy(), usage.quotaSetAt());
    }

    private static void within(String field, int value, int max) {
        if (value < 1 || value > max) {
            throw new BadRequestException(field + " must be within [1, " + max + "] but was " + value);
        }
    }
}
