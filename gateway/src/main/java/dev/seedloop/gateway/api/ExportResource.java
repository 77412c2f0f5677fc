package dev.seedloop.gateway.api;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import dev.seedloop.gateway.application.CallerResolver;
import dev.seedloop.gateway.application.StudyTransfer;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * A study as a checked file ({@code dev.seedloop.events.StudyExport}), to keep or to import elsewhere. Its own
 * path literal, so JAX-RS does not hand the request to {@link StudyResource}, whose prefix is shorter.
 *
 * <p>The answer is a complete file or visibly not one. What can fail before the first byte (the study, the learner's
 * first page) is answered as a problem with its status. Once the file has begun, a failure aborts the response: the
 * connection is closed without the chunked body's last chunk, so every HTTP client reports an error, and the bytes that
 * did arrive lack the file's trailer, which every reader of the format checks. A problem document is never appended to
 * the file: with status 200 already sent, that would look like a file that ends normally.
 */
@Path("/api/v1/studies/{studyId}/export")
@Tag(name = "transfer", description = "Studies as checked export files, and their import")
@SecurityRequirement(name = ApiSecurity.SCHEME)
public class ExportResource {

    public static final String NDJSON = "application/x-ndjson";
    private static final Logger LOG = Logger.getLogger(ExportResource.class);

    @Inject
    CallerResolver callers;

    @Inject
    StudyTransfer transfer;

    @GET
    @Produces(NDJSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(operationId = "exportStudy",
            summary = "Every event of the study up to now, as a checked JSON-lines export file",
            description = "A failure after the file has begun aborts the connection (no trailer, no chunked end); "
                    + "clients must check the trailer.")
    @APIResponse(responseCode = "200", description = "the export file, ending with its trailer",
            content = @Content(mediaType = NDJSON, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", description = "the learner did not answer before the file began",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response export(@PathParam("studyId") String studyId, @Context HttpServerRequest request) {
        StudyTransfer.Export export = transfer.openExport(callers.caller().team(), studyId);
        // Plain bytes written page by page: a Multi<String> would be re-encoded as JSON strings per line.
        StreamingOutput file = out -> {
            try {
                export.writeTo(out);
            } catch (IOException | RuntimeException e) {
                LOG.warnf(e, "Export of study %s broke off; aborting the response so it cannot pass for a whole file",
                        export.studyId());
                abort(request);
                // Checked, so no exception mapper turns it into a problem body after the file's first bytes.
                throw new IOException("export of study " + export.studyId() + " aborted", e);
            }
        };
        return Response.ok(file, NDJSON).build();
    }

    /**
     * Closes the connection and waits until it is closed. Resetting the response and throwing at once left a race:
     * the REST layer's handling of the exception could end the chunked body first, and a cut-off file then arrived as
     * a complete response (seen once in a full gateway run). Whatever that layer writes after this goes nowhere.
     */
    private static void abort(HttpServerRequest request) {
        try {
            request.connection().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf(e, "Could not close the connection of a broken export");
        }
    }
}
