package dev.seedloop.gateway.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.seedloop.gateway.application.Caller;
import dev.seedloop.gateway.application.CallerResolver;
import dev.seedloop.gateway.application.StudyTransfer;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * Imports of exported studies ({@code dev.seedloop.events.StudyExport}) into another installation. An import is
 * checked whole before anything is published: a damaged file imports nothing.
 */
@Path("/api/v1/imports")
@Tag(name = "transfer", description = "Studies as checked export files, and their import")
@SecurityRequirement(name = ApiSecurity.SCHEME)
public class ImportResource {

    /**
     * An accepted import: the study, now owned by the importing team, how many events it brings, and how many trees
     * (workspace, held-out data, proposals' code) the file carried, now owned by the team as well.
     */
    public record ImportAccepted(String studyId, String team, int events, String importedBy, int trees) {
    }

    @Inject
    CallerResolver callers;

    @Inject
    StudyTransfer transfer;

    @POST
    @Consumes({ExportResource.NDJSON, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"researcher", "admin"})
    @Blocking
    @Operation(operationId = "importStudy",
            summary = "Import an exported study into the caller's team (event ids preserved)",
            description = "The file is read as it streams in and checked whole (header, chained hashes, trailer, one"
                    + " study's history, then the trees after the trailer: every blob and tree by its hash) before"
                    + " anything is published: a damaged file imports nothing, and a blob or tree not matching its"
                    + " hash is not stored. Every tree the events name must be in the file or already owned by the"
                    + " team (400 otherwise); the carried trees are granted to the team. An export without trees"
                    + " (older installations) still imports. A study the team already holds, or has already imported a"
                    + " copy of, answers 409. While seedloop.gateway.imports.max-concurrent imports are under way,"
                    + " another one answers 429 with Retry-After.")
    @RequestBody(required = true, content = {
            @Content(mediaType = ExportResource.NDJSON, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING,
                    format = "binary"))})
    @APIResponse(responseCode = "202", description = "checked and submitted; the learner stores it within moments",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ImportAccepted.class)))
    @APIResponse(responseCode = "400", description = "damaged file: the line and reason (for the trees also the"
            + " stable `reason`: hash-mismatch, size-mismatch, missing-blob, incomplete, malformed, limit-exceeded,"
            + " line-too-long; limit-exceeded also for events over seedloop.gateway.imports.max-event-bytes); nothing"
            + " imported",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "429", ref = ProblemResponses.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Uni<Response> importStudy(InputStream file) throws IOException {
        Caller caller = callers.caller();
        return transfer.importStudy(caller, file == null ? InputStream.nullInputStream() : file).map(imported -> Response
                .accepted(new ImportAccepted(imported.studyId(), caller.team(), imported.events(), caller.username(),
                        imported.trees()))
                .location(URI.create("/api/v1/studies/" + imported.studyId()))
                .build());
    }
}
