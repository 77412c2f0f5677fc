package dev.seedloop.gateway.api;

import java.net.URI;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.seedloop.events.StudyCreated;
import dev.seedloop.gateway.application.StudyCommands;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * Studies. Until Keycloak authentication lands (issue 4), the caller's team comes from the
 * {@code X-Seedloop-Team} header: this gateway must not be exposed beyond a trusted network before then.
 */
@Path("/api/v1/studies")
public class StudyResource {

    public static final String TEAM_HEADER = "X-Seedloop-Team";
    private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    @Inject
    StudyCommands commands;

    /** The accepted study: its id and the event that created it. */
    public record StudyAccepted(String studyId, String eventId, String name, String team, String strategy,
            long seed, String specSha256) {
    }

    /** A study spec in YAML or JSON, validated against {@code schema/study-spec.schema.json}. */
    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml"})
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Uni<Response> create(@HeaderParam(TEAM_HEADER) String team, String spec) {
        if (team == null || !TEAM.matcher(team).matches()) {
            throw new BadRequestException("header " + TEAM_HEADER
                    + " must name the team: lower-case letters, digits and '-', at most 63");
        }
        return commands.create(team, spec).map(event -> {
            StudyCreated created = (StudyCreated) event.payload();
            return Response.created(URI.create("/api/v1/studies/" + event.studyId()))
                    .entity(new StudyAccepted(event.studyId(), event.eventId().toString(), created.name(),
                            event.team(), created.strategy(), created.seed(), created.specSha256()))
                    .build();
        });
    }
}
