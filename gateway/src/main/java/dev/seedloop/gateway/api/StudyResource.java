package dev.seedloop.gateway.api;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;
import dev.seedloop.gateway.application.Caller;
import dev.seedloop.gateway.application.CallerResolver;
import dev.seedloop.gateway.application.LearnerQueries;
import dev.seedloop.gateway.application.StudyCommands;
import dev.seedloop.gateway.config.GatewayConfig;
import dev.seedloop.gateway.domain.Baselines;
import dev.seedloop.gateway.domain.StudyControl;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.Views;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Studies of the caller's team. The team comes from the verified token only; a study of another team is
 * answered exactly like one that does not exist (404), on every endpoint.
 */
@Path("/api/v1/studies")
@Tag(name = "studies", description = "Studies of the caller's team: create, fork, steer, read, stream")
@SecurityRequirement(name = ApiSecurity.SCHEME)
public class StudyResource {

    private static final Set<String> STATUSES = Set.of("created", "running", "paused", "completed", "halted");

    @Inject
    StudyCommands commands;

    @Inject
    LearnerQueries queries;

    @Inject
    SseStudyStreams eventStreams;

    @Inject
    CallerResolver callers;

    @Inject
    GatewayConfig config;

    /**
     * The accepted study: its id and the event that created it; for a fork, where it comes from ({@code forkedFrom},
     * the source's sequence {@code forkedAt} and how many evaluated proposals it {@code inherited}); for a baseline
     * (recorded as a fork at the study's first event that inherits nothing), the study it is the baseline of
     * ({@code baselineOf}).
     */
    public record StudyAccepted(String studyId, String eventId, String name, String team, String strategy,
            long seed, String specSha256, String forkedFrom, Long forkedAt, Integer inherited, String baselineOf) {

        static StudyAccepted of(EventEnvelope event) {
            StudyCreated created = (StudyCreated) event.payload();
            StudyOrigin origin = created.origin();
            return new StudyAccepted(event.studyId(), event.eventId().toString(), created.name(), event.team(),
                    created.strategy(), created.seed(), created.specSha256(),
                    origin == null ? null : origin.studyId(), origin == null ? null : origin.atSequence(),
                    origin == null ? null : origin.proposals().size(),
                    origin != null && Baselines.isBaselineOf(event.studyId(), origin.studyId()) ? origin.studyId()
                            : null);
        }
    }

    /** An accepted intervention: the event that records it. */
    public record ControlAccepted(String studyId, String action, String eventId, String by, String reason) {
    }

    /** The reason an operator gives for an intervention. */
    public record ControlRequest(String reason) {
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml"})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"researcher", "admin"})
    @Blocking
    @Operation(operationId = "createStudy", summary = "Create a study from a YAML or JSON spec",
            description = "Checks the spec against the study-spec schema and its bounds, has the learner admit"
                    + " the study against the team's quotas, then records StudyCreated. Nothing is created when any check fails.")
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/yaml", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT))})
    @APIResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = StudyAccepted.class)))
    @APIResponse(responseCode = "400", description = "invalid spec: every problem with its path in errors; or an"
            + " unreadable body", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", ref = ProblemResponses.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "429", ref = ProblemResponses.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Response> create(String spec) {
        Caller caller = callers.caller();
        return commands.create(caller, spec).map(StudyResource::accepted);
    }

    private static Response accepted(EventEnvelope event) {
        return Response.created(URI.create("/api/v1/studies/" + event.studyId())).entity(StudyAccepted.of(event)).build();
    }

    @POST
    @Path("{studyId}/forks")
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml"})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"researcher", "admin"})
    @Blocking
    @Operation(operationId = "forkStudy", summary = "Start a new study from this one at a sequence, with its own spec",
            description = "The fork inherits the study's evaluated proposals up to the sequence (its lineage and "
                    + "its strategy's starting history) and records its origin; its champion, budget and evaluator "
                    + "are its own. Checked and admitted like a new study.")
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/yaml", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT))})
    @APIResponse(responseCode = "201", description = "forked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = StudyAccepted.class)))
    @APIResponse(responseCode = "400", description = "invalid spec, `at` below 1, or the study has fewer events than"
            + " `at`", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ProblemResponses.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "429", ref = ProblemResponses.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Response> fork(@PathParam("studyId") String studyId,
            @Parameter(description = "the source's study sequence to fork at (>= 1); its latest when absent")
            @QueryParam("at") Long at, String spec) {
        if (at != null && at < 1) {
            throw new BadRequestException("at must be a study sequence >= 1 but was " + at);
        }
        return commands.fork(callers.caller(), studyId, at, spec).map(StudyResource::accepted);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Operation(operationId = "listStudies", summary = "List the team's studies, newest first",
            description = "A page of the caller's team's studies, optionally of one status (created, running, paused,"
                    + " completed, halted).")
    @APIResponse(responseCode = "200", description = "a page of studies",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Views.StudyPage.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Views.StudyPage> list(@QueryParam("status") String status,
            @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("50") int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw new BadRequestException("status must be one of " + STATUSES.stream().sorted().toList());
        }
        checkPaging(offset, limit);
        return queries.studies(callers.caller().team(), status, offset, limit);
    }

    @GET
    @Path("{studyId}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Operation(operationId = "getStudy",
            summary = "A study: state, budget used, champion with its evidence, pending approvals",
            description = "The learner's current view of one study of the caller's team.")
    @APIResponse(responseCode = "200", description = "the study",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Views.StudyView.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Views.StudyView> get(@PathParam("studyId") String studyId) {
        return queries.study(callers.caller().team(), studyId);
    }

    @GET
    @Path("{studyId}/events")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Operation(operationId = "listStudyEvents",
            summary = "A study's stored events after a sequence number, optionally of some types",
            description = "Stored events in sequence order, after `after`, at most `limit`; `type` (repeatable) keeps"
                    + " only events of those logical types.")
    @APIResponse(responseCode = "200", description = "a page of events",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Views.EventPage.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Views.EventPage> events(@PathParam("studyId") String studyId,
            @QueryParam("after") @DefaultValue("0") long after, @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("type") List<String> types) {
        checkPaging(after, limit);
        return queries.events(callers.caller().team(), studyId, after, limit, types == null ? List.of() : types);
    }

    @GET
    @Path("{studyId}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(operationId = "streamStudyEvents",
            summary = "Live server-sent events of a study; id is the study sequence, resumable with Last-Event-ID",
            description = "Each event is sent with its study sequence as id and its logical type as event name; idle"
                    + " periods carry heartbeat comments. Resumes after Last-Event-ID, else after `after`, else from"
                    + " the start. The study is checked before the stream opens, so errors are plain problem answers.")
    @APIResponse(responseCode = "200", description = "the live stream; each event's data is the stored event as JSON",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Multi<OutboundSseEvent> stream(@PathParam("studyId") String studyId,
            @HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("after") Long after, @Context Sse sse) {
        return eventStreams.open(callers.caller(), studyId, lastEventId, after, sse);
    }

    @GET
    @Path("{studyId}/state")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Operation(operationId = "getStudyState",
            summary = "What the loop knew at a point of the study: study and strategy state after a sequence"
            + " number or as recorded at a time (ISO-8601); the head without 'at'",
            description = "`at` is a study sequence number or an ISO-8601 instant; anything else answers 400. Without"
                    + " `at`, the study's latest state.")
    @APIResponse(responseCode = "200", description = "the state at that point",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = dev.seedloop.queries.StateAtView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<dev.seedloop.queries.StateAtView> stateAt(@PathParam("studyId") String studyId,
            @QueryParam("at") String at) {
        Long atSequence = null;
        java.time.Instant atTime = null;
        if (at != null && !at.isBlank()) {
            if (at.strip().chars().allMatch(Character::isDigit)) {
                atSequence = parseSequence(at.strip());
            } else {
                try {
                    atTime = java.time.Instant.parse(at.strip());
                } catch (java.time.format.DateTimeParseException e) {
                    throw new BadRequestException("at must be a study sequence number or an ISO-8601 instant"
                            + " such as 2026-11-28T12:00:00Z, not '" + at + "'");
                }
            }
        }
        return queries.stateAt(callers.caller().team(), studyId, atSequence, atTime);
    }

    @GET
    @Path("{studyId}/lineage")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Operation(operationId = "getStudyLineage",
            summary = "Champion history and the parent tree of a study's proposals, a page of nodes at a time",
            description = "The champion's history and a page of the proposals' parent tree (`offset`, `limit`).")
    @APIResponse(responseCode = "200", description = "the champion history and a page of the tree",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Views.LineageView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Views.LineageView> lineage(@PathParam("studyId") String studyId,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("" + Query.MAX_LINEAGE_PAGE) int limit) {
        if (offset < 0) {
            throw new BadRequestException("offset must not be negative");
        }
        if (limit < 1 || limit > Query.MAX_LINEAGE_PAGE) {
            throw new BadRequestException("limit must be within [1, " + Query.MAX_LINEAGE_PAGE + "]");
        }
        return queries.lineage(callers.caller().team(), studyId, offset, limit);
    }

    @GET
    @Path("{studyId}/experiments/{experimentId}/log")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Operation(operationId = "getExperimentLog", summary = "The log tail of one experiment",
            description = "The recorded log tail of one experiment of the study; an experiment id that is not a UUID"
                    + " answers 404.")
    @APIResponse(responseCode = "200", description = "the log tail",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Views.ExperimentLogView.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Views.ExperimentLogView> experimentLog(@PathParam("studyId") String studyId,
            @PathParam("experimentId") String experimentId) {
        return queries.experimentLog(callers.caller().team(), studyId, uuidOrNotFound(experimentId, "experiment"));
    }

    @POST
    @Path("{studyId}/pause")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"researcher", "admin"})
    @Operation(operationId = "pauseStudy",
            summary = "Pause: no new proposals until resumed; running experiments finish",
            description = "Records StudyPaused with the optional reason. A study already paused, completed or halted"
                    + " answers 409.")
    @APIResponse(responseCode = "202", description = "recorded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ControlAccepted.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Response> pause(@PathParam("studyId") String studyId, ControlRequest request) {
        return control(StudyControl.Action.PAUSE, studyId, null, request);
    }

    @POST
    @Path("{studyId}/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"researcher", "admin"})
    @Operation(operationId = "resumeStudy", summary = "Resume a paused study",
            description = "Records StudyResumed; a study that is not paused answers 409.")
    @APIResponse(responseCode = "202", description = "recorded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ControlAccepted.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Response> resume(@PathParam("studyId") String studyId, ControlRequest request) {
        return control(StudyControl.Action.RESUME, studyId, null, request);
    }

    @POST
    @Path("{studyId}/halt")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"researcher", "admin"})
    @Operation(operationId = "haltStudy", summary = "Halt for good: in-flight experiments are stopped within 10 s",
            description = "Records StudyHalted with the optional reason; a completed or halted study answers 409.")
    @APIResponse(responseCode = "202", description = "recorded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ControlAccepted.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Response> halt(@PathParam("studyId") String studyId, ControlRequest request) {
        return control(StudyControl.Action.HALT, studyId, null, request);
    }

    @POST
    @Path("{studyId}/candidates/{proposalId}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed("approver")
    @Operation(operationId = "approveCandidate",
            summary = "Approve a candidate pending approval: it becomes the champion",
            description = "Records PromotionApproved (approver role only). A candidate id that is not a UUID answers"
                    + " 404; one that is not pending approval in this study, 409. Approvals outlive the loop: a completed study"
                    + " still takes them.")
    @APIResponse(responseCode = "202", description = "recorded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ControlAccepted.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Response> approve(@PathParam("studyId") String studyId, @PathParam("proposalId") String proposalId,
            ControlRequest request) {
        return control(StudyControl.Action.APPROVE, studyId, uuidOrNotFound(proposalId, "candidate"), request);
    }

    @POST
    @Path("{studyId}/candidates/{proposalId}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed("approver")
    @Operation(operationId = "rejectCandidate",
            summary = "Reject a candidate pending approval, with the reviewer's reason",
            description = "Records PromotionRejected (approver role only); the reason is required (400 without it). A"
                    + " candidate id that is not a UUID answers 404; one that is not pending approval, 409.")
    @APIResponse(responseCode = "202", description = "recorded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ControlAccepted.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Response> reject(@PathParam("studyId") String studyId, @PathParam("proposalId") String proposalId,
            ControlRequest request) {
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            throw new BadRequestException("a rejection needs a reason: {\"reason\": \"...\"}");
        }
        return control(StudyControl.Action.REJECT, studyId, uuidOrNotFound(proposalId, "candidate"), request);
    }

    private Uni<Response> control(StudyControl.Action action, String studyId, UUID candidate, ControlRequest request) {
        Caller caller = callers.caller();
        String reason = request == null ? null : request.reason();
        return commands.control(caller, action, studyId, candidate, reason)
                .map(event -> Response.accepted(new ControlAccepted(studyId, action.label(),
                        event.eventId().toString(), caller.username(), reason == null ? "" : reason.strip())).build());
    }

    private static void checkPaging(long from, int limit) {
        if (from < 0) {
            throw new BadRequestException("offset/after must not be negative");
        }
        if (limit < 1 || limit > Query.MAX_PAGE) {
            throw new BadRequestException("limit must be within [1, " + Query.MAX_PAGE + "]");
        }
    }

    private static long parseSequence(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new BadRequestException("at is not a study sequence number: " + digits);
        }
    }


    private static UUID uuidOrNotFound(String raw, String what) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no such " + what + ": " + raw);
        }
    }
}
