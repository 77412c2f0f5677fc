package dev.seedloop.gateway.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.seedloop.gateway.application.CallerResolver;
import dev.seedloop.gateway.application.StudyTransfer;
import io.smallrye.common.annotation.Blocking;

/**
 * A study as a checked file ({@code dev.seedloop.events.StudyExport}), to keep or to import elsewhere. Its own
 * path literal, so JAX-RS does not hand the request to {@link StudyResource}, whose prefix is shorter.
 */
@Path("/api/v1/studies/{studyId}/export")
@Tag(name = "transfer")
@SecurityRequirement(name = ApiSecurity.SCHEME)
public class ExportResource {

    public static final String NDJSON = "application/x-ndjson";

    @Inject
    CallerResolver callers;

    @Inject
    StudyTransfer transfer;

    @GET
    @Produces(NDJSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(summary = "Every event of the study up to now, as a checked JSON-lines export file")
    public Response export(@PathParam("studyId") String studyId) {
        // Plain bytes written page by page: a Multi<String> would be re-encoded as JSON strings per line.
        StreamingOutput file = transfer.export(callers.caller().team(), studyId);
        return Response.ok(file, NDJSON).build();
    }
}
