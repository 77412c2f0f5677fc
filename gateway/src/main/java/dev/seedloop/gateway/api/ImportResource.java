package dev.seedloop.gateway.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
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
@Tag(name = "transfer")
@SecurityRequirement(name = ApiSecurity.SCHEME)
public class ImportResource {

    /** An accepted import: the study, now owned by the importing team, and how many events it brings. */
    public record ImportAccepted(String studyId, String team, int events, String importedBy) {
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
    @Operation(summary = "Import an exported study into the caller's team (event ids preserved)")
    @APIResponse(responseCode = "202", description = "checked and submitted; the learner stores it within moments",
            content = @Content(schema = @Schema(implementation = ImportAccepted.class)))
    @APIResponse(responseCode = "400", description = "damaged file: the line and reason; nothing imported",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the study already exists in this installation")
    public Uni<Response> importStudy(String file) {
        Caller caller = callers.caller();
        List<String> lines = file == null ? List.of() : file.lines().toList();
        return transfer.importStudy(caller, lines).map(imported -> Response
                .accepted(new ImportAccepted(imported.studyId(), caller.team(), imported.events(), caller.username()))
                .location(URI.create("/api/v1/studies/" + imported.studyId()))
                .build());
    }
}
