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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.seedloop.events.StrategyNames;
import dev.seedloop.gateway.api.postmortem.PostmortemFormat;
import dev.seedloop.gateway.api.report.HtmlWriter;
import dev.seedloop.gateway.application.CallerResolver;
import dev.seedloop.gateway.application.CodeLineages;
import dev.seedloop.gateway.application.LearnerQueries;
import dev.seedloop.gateway.application.StudyComparisons;
import dev.seedloop.gateway.domain.CodeLineage;
import dev.seedloop.gateway.domain.StudyComparison;
import dev.seedloop.queries.PostmortemView;
import io.smallrye.common.annotation.Blocking;

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

    @Inject
    CodeLineages lineages;

    @Inject
    StudyComparisons comparisons;

    @Inject
    ObjectMapper json;

    @GET
    @Path("{studyId}/postmortem")
    @Produces({MediaType.APPLICATION_JSON, PostmortemFormat.MARKDOWN_TYPE, MediaType.TEXT_HTML})
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(operationId = "getPostmortem",
            summary = "A study's postmortem: timeline, champion lineage with evidence, yield per operator,"
            + " failures by reason and log fingerprint, possible reward hacking, time queued per stage,"
            + " interventions; for an llm study its code lineage. JSON, Markdown or HTML by Accept (JSON by default)",
            description = "The representation follows Accept (Vary: Accept); an Accept that names none of the three"
                    + " answers 406. The HTML page is self-contained and served with a policy that runs no script."
                    + " A study whose strategy is llm also has `codeLineage`: each proposal with its parents, operator,"
                    + " the model calls that wrote it (model, template, tokens, cost, prompt and answer hashes), its"
                    + " change (the first 200 lines of its patches) and result, and the study's total model spend."
                    + " A study with a baseline (POST .../baseline) also has `againstBaseline`: the comparison"
                    + " GET .../comparison?with={its baseline} answers (section \"Against its baseline\").")
    @APIResponse(responseCode = "200", description = "the postmortem", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PostmortemView.class)),
            @Content(mediaType = PostmortemFormat.MARKDOWN_TYPE, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "406", ref = ProblemResponses.NOT_ACCEPTABLE)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response postmortem(@PathParam("studyId") String studyId, @Context HttpHeaders headers) {
        PostmortemFormat format = PostmortemFormat.negotiate(headers.getRequestHeader(HttpHeaders.ACCEPT))
                .orElseThrow(() -> new NotAcceptableException("a postmortem is application/json, "
                        + PostmortemFormat.MARKDOWN_TYPE + " or text/html"));
        String team = callers.caller().team();
        PostmortemView view = queries.postmortem(team, studyId).await().indefinitely();
        // Only an llm study's proposals are code written by a model; the others' lineage is the champion lineage.
        CodeLineage.View code = StrategyNames.LLM.equals(view.study().strategy())
                ? lineages.of(team, studyId, view.lastSequence()) : null;
        StudyComparison.Result baseline = comparisons.againstBaseline(team, studyId).await().indefinitely();
        Response.ResponseBuilder response = switch (format) {
            case JSON -> Response.ok(code == null && baseline == null ? view : withMore(view, code, baseline),
                    MediaType.APPLICATION_JSON_TYPE);
            case MARKDOWN -> Response.ok(format.render(view, code, baseline), format.mediaType() + UTF_8);
            case HTML -> Response.ok(format.render(view, code, baseline), format.mediaType() + UTF_8)
                    .header("Content-Security-Policy", HtmlWriter.CONTENT_SECURITY_POLICY);
        };
        // The body depends on Accept: caches must keep the representations apart.
        return response.header(HttpHeaders.VARY, HttpHeaders.ACCEPT)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    /**
     * The learner's view with more members, {@code codeLineage} and {@code againstBaseline} (each when there is one):
     * additive, so a reader of the view reads it.
     */
    private ObjectNode withMore(PostmortemView view, CodeLineage.View code, StudyComparison.Result baseline) {
        ObjectNode document = json.valueToTree(view);
        if (code != null) {
            document.set("codeLineage", json.valueToTree(code));
        }
        if (baseline != null) {
            document.set("againstBaseline", json.valueToTree(baseline));
        }
        return document;
    }
}
