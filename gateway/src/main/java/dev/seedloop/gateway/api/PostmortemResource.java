package dev.seedloop.gateway.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.seedloop.gateway.api.postmortem.PostmortemFormat;
import dev.seedloop.gateway.api.report.HtmlWriter;
import dev.seedloop.gateway.application.CallerResolver;
import dev.seedloop.gateway.application.LearnerQueries;
import dev.seedloop.queries.PostmortemView;
import io.smallrye.mutiny.Uni;

/**
 * A study's postmortem, as JSON (the learner's {@link PostmortemView}), Markdown or a self-contained HTML page,
 * chosen by {@code Accept}. Another team's study answers 404 like everywhere else. The text formats quote
 * experiment logs: they are escaped by the writers, and the page is served with a policy that runs no script.
 */
@Path("/api/v1/studies")
@Tag(name = "studies", description = "Studies of the caller's team: create, fork, steer, read, stream")
@SecurityRequirement(name = ApiSecurity.SCHEME)
public class PostmortemResource {

    private static final String UTF_8 = ";charset=UTF-8";

    @Inject
    LearnerQueries queries;

    @Inject
    CallerResolver callers;

    @GET
    @Path("{studyId}/postmortem")
    @Produces({MediaType.APPLICATION_JSON, PostmortemFormat.MARKDOWN_TYPE, MediaType.TEXT_HTML})
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Operation(operationId = "getPostmortem",
            summary = "A study's postmortem: timeline, champion lineage with evidence, yield per operator,"
            + " failures by reason and log fingerprint, possible reward hacking, time queued per stage,"
            + " interventions. JSON, Markdown or HTML by Accept (JSON by default)",
            description = "The representation follows Accept (Vary: Accept); an Accept that names none of the three"
                    + " answers 406. The HTML page is self-contained and served with a policy that runs no script.")
    @APIResponse(responseCode = "200", description = "the postmortem", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PostmortemView.class)),
            @Content(mediaType = PostmortemFormat.MARKDOWN_TYPE, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "406", ref = ProblemResponses.NOT_ACCEPTABLE)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Response> postmortem(@PathParam("studyId") String studyId, @Context HttpHeaders headers) {
        PostmortemFormat format = PostmortemFormat.negotiate(headers.getRequestHeader(HttpHeaders.ACCEPT))
                .orElseThrow(() -> new NotAcceptableException("a postmortem is application/json, "
                        + PostmortemFormat.MARKDOWN_TYPE + " or text/html"));
        return queries.postmortem(callers.caller().team(), studyId).map(view -> {
            Response.ResponseBuilder response = switch (format) {
                case JSON -> Response.ok(view, MediaType.APPLICATION_JSON_TYPE);
                case MARKDOWN -> Response.ok(format.render(view), format.mediaType() + UTF_8);
                case HTML -> Response.ok(format.render(view), format.mediaType() + UTF_8)
                        .header("Content-Security-Policy", HtmlWriter.CONTENT_SECURITY_POLICY);
            };
            // The body depends on Accept: caches must keep the representations apart.
            return response.header(HttpHeaders.VARY, HttpHeaders.ACCEPT)
                    .header("X-Content-Type-Options", "nosniff")
                    .build();
        });
    }
}
