package dev.seedloop.gateway.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.seedloop.gateway.application.CallerResolver;
import dev.seedloop.gateway.application.ModelCalls;
import dev.seedloop.queries.Query;
import io.smallrye.common.annotation.Blocking;

/**
 * A study's language-model calls (strategy {@code llm}) and what each asked and was answered, for the study's own team:
 * another team's study, a call the study does not have and a text not stored all answer 404 alike. Its own path
 * literal, longer than {@link StudyResource}'s, so JAX-RS hands these requests here.
 */
@Path("/api/v1/studies/{studyId}/model-calls")
@Tag(name = "studies", description = "Studies of the caller's team: create, fork, steer, read, stream")
@SecurityRequirement(name = ApiSecurity.SCHEME)
public class ModelCallResource {

    /** Set on a prompt or answer cut to the installation's size: the text's whole size in bytes. */
    public static final String TRUNCATED = "Seedloop-Truncated";

    @Inject
    CallerResolver callers;

    @Inject
    ModelCalls calls;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(operationId = "listModelCalls", summary = "A study's language-model calls, in study order",
            description = "One item per ModelCallCompleted after `after` (a study sequence), at most `limit`: the"
                    + " proposal it was for, model, template, operator, tokens in and out, cost in US dollars, latency,"
                    + " HTTP attempts, whether the answer was replayed (recorded earlier: no model asked, no cost), why"
                    + " no answer came (`failure`) and the prompt and answer hashes, whose texts"
                    + " `.../model-calls/{callId}/prompt` and `/answer` return. Ask again with `after` while `more`.")
    @APIResponse(responseCode = "200", description = "a page of calls",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ModelCalls.Page.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public ModelCalls.Page list(@PathParam("studyId") String studyId,
            @Parameter(description = "the study sequence to list after (0: from the start)")
            @QueryParam("after") @DefaultValue("0") long after,
            @Parameter(description = "at most this many calls (1 to 500)")
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (after < 0) {
            throw new BadRequestException("after must not be negative");
        }
        if (limit < 1 || limit > Query.MAX_PAGE) {
            throw new BadRequestException("limit must be within [1, " + Query.MAX_PAGE + "]");
        }
        return calls.page(callers.caller().team(), studyId, after, limit);
    }

    @GET
    @Path("{callId}/prompt")
    @Produces(ProposalCodeResource.TEXT)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(operationId = "getModelCallPrompt", summary = "What a model call asked: the prompt's text",
            description = "The prompt a ModelCallCompleted of this study names, from the artifact store. A text over"
                    + " the installation's `seedloop.gateway.llm.max-text-bytes` is cut at a character boundary and the"
                    + " `Seedloop-Truncated` header gives its whole size. 404 for another team's study, a call the"
                    + " study does not have and a text that is not stored.")
    @APIResponse(responseCode = "200", description = "the prompt",
            headers = @Header(name = TRUNCATED, description = "present when cut: the text's whole size in bytes",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = ProposalCodeResource.TEXT, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response prompt(@PathParam("studyId") String studyId,
            @Parameter(description = "the call's id") @PathParam("callId") String callId) {
        return text(calls.text(callers.caller().team(), studyId, callId, ModelCalls.Text.PROMPT));
    }

    @GET
    @Path("{callId}/answer")
    @Produces(ProposalCodeResource.TEXT)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(operationId = "getModelCallAnswer", summary = "What the model answered: the answer's text",
            description = "The answer a ModelCallCompleted of this study names, from the artifact store, cut like a"
                    + " prompt. 404 as for the prompt, and for a call that got no answer (its `failure` says why).")
    @APIResponse(responseCode = "200", description = "the answer",
            headers = @Header(name = TRUNCATED, description = "present when cut: the text's whole size in bytes",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = ProposalCodeResource.TEXT, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response answer(@PathParam("studyId") String studyId,
            @Parameter(description = "the call's id") @PathParam("callId") String callId) {
        return text(calls.text(callers.caller().team(), studyId, callId, ModelCalls.Text.ANSWER));
    }

    private static Response text(ModelCalls.Excerpt excerpt) {
        Response.ResponseBuilder answer = Response.ok(excerpt.text(), ProposalCodeResource.TEXT);
        if (excerpt.truncated()) {
            answer.header(TRUNCATED, excerpt.totalBytes());
        }
        return answer.build();
    }
}
