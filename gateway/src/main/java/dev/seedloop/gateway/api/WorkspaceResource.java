package dev.seedloop.gateway.api;

import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.seedloop.artifacts.ArchiveImport;
import dev.seedloop.artifacts.ArtifactRejectedException;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.gateway.application.Caller;
import dev.seedloop.gateway.application.CallerResolver;
import dev.seedloop.gateway.application.Workspaces;
import io.smallrye.common.annotation.Blocking;

/**
 * Uploaded, content-addressed workspaces of the caller's team (ADR 0018). A workspace is named by its tree hash; the
 * team comes from the verified token only, and a tree the team does not own is answered exactly like one that does
 * not exist (404), on every endpoint.
 */
@Path("/api/v1/workspaces")
@Tag(name = "workspaces", description = "Uploaded workspaces of the caller's team, by tree hash: upload, list, read"
        + " a file, download")
@SecurityRequirement(name = ApiSecurity.SCHEME)
public class WorkspaceResource {

    public static final String GZIP = "application/gzip";
    public static final String X_GZIP = "application/x-gzip";
    public static final String ZIP = "application/zip";

    /** A stored upload: its tree hash, how many files (and links) it has and their bytes in all. */
    public record WorkspaceUploaded(String tree, int files, long bytes) {

        static WorkspaceUploaded of(Tree tree) {
            return new WorkspaceUploaded(tree.hash(), tree.entries().size(),
                    tree.entries().stream().mapToLong(TreeEntry::size).sum());
        }
    }

    /** A workspace's entries in tree order. */
    public record WorkspaceView(String tree, List<FileView> files) {
    }

    /** One entry: its normalised path, {@code file}, {@code executable} or {@code symlink}, its size and blob hash. */
    public record FileView(String path, String kind, long size, String blob) {
    }

    @Inject
    CallerResolver callers;

    @Inject
    Workspaces workspaces;

    @POST
    @Consumes({GZIP, X_GZIP, ZIP})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"researcher", "admin"})
    @Blocking
    @Operation(operationId = "uploadWorkspace", summary = "Upload a directory as a .tar.gz or .zip; answers its tree hash",
            description = "The archive is streamed into the artifact store under the installation's limits (total"
                    + " and per-file bytes, entries, compression ratio) and the caller's team becomes an owner of its"
                    + " tree. 201 for a tree new to the team, 200 (same body) when the team already owns it: uploading"
                    + " again changes nothing. Refused, storing no tree, with the reason code in `reason`: absolute"
                    + " paths, `..`, links leaving the tree, devices, FIFOs, hard links, duplicates, bombs, malformed"
                    + " archives (400); over a size or count limit (413).")
    @RequestBody(required = true, content = {
            @Content(mediaType = GZIP, schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = X_GZIP, schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = ZIP, schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "201", description = "stored; the team owns the tree now",
            headers = @Header(name = "Location", description = "/api/v1/workspaces/{tree}",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WorkspaceUploaded.class)))
    @APIResponse(responseCode = "200", description = "the team already owned this tree; nothing changed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WorkspaceUploaded.class)))
    @APIResponse(responseCode = "400", description = "the archive is refused: `reason` is the stable code"
            + " (absolute-path, parent-segment, symlink-escapes, device, fifo, hard-link, unsupported-entry,"
            + " duplicate-entry, path-conflict, compression-ratio, malformed-archive), `errors` the entry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "over the installation's limits (bytes, file bytes or entries;"
            + " `reason` limit-exceeded); nothing was stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    public Response upload(InputStream archive, @Context HttpHeaders headers) {
        Caller caller = callers.caller();
        MediaType type = headers.getMediaType();
        ArchiveImport.Format format = type != null && type.getSubtype().toLowerCase(Locale.ROOT).equals("zip")
                ? ArchiveImport.Format.ZIP : ArchiveImport.Format.TAR_GZ;
        Workspaces.Upload upload = workspaces.upload(caller.team(), archive, format);
        WorkspaceUploaded body = WorkspaceUploaded.of(upload.tree());
        if (upload.ownedBefore()) {
            return Response.ok(body).build();
        }
        return Response.created(URI.create("/api/v1/workspaces/" + body.tree())).entity(body).build();
    }

    @GET
    @Path("{tree}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(operationId = "getWorkspace", summary = "A workspace's files: path, kind, size and blob hash",
            description = "Every entry of a tree the caller's team owns, in tree order (paths by their UTF-8 bytes).")
    @APIResponse(responseCode = "200", description = "the workspace",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WorkspaceView.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public WorkspaceView get(@Parameter(description = "the tree hash, sha256:<64 hex>") @PathParam("tree") String tree) {
        Tree found = owned(tree);
        return new WorkspaceView(found.hash(), found.entries().stream()
                .map(e -> new FileView(e.path().value(), e.kind().name().toLowerCase(Locale.ROOT), e.size(), e.blob()))
                .toList());
    }

    @GET
    @Path("{tree}/files/{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(operationId = "getWorkspaceFile", summary = "One file's bytes from a workspace",
            description = "The path is normalised as in the tree (`./a//b` is `a/b`); an absolute path, `..` or a"
                    + " control character is refused (400). A symbolic link answers its target text.")
    @APIResponse(responseCode = "200", description = "the file's bytes",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                    schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public Response file(@Parameter(description = "the tree hash, sha256:<64 hex>") @PathParam("tree") String tree,
            @Parameter(description = "the file's path in the tree") @PathParam("path") String path) {
        TreePath normalised;
        try {
            normalised = TreePath.of(path);
        } catch (ArtifactRejectedException e) {
            throw new BadRequestException("not a path in a workspace (" + e.reason().code() + "): " + e.getMessage());
        }
        Tree found = owned(tree);
        TreeEntry entry = found.entry(normalised)
                .orElseThrow(() -> new NotFoundException("no file " + normalised + " in workspace " + tree));
        StreamingOutput bytes = out -> {
            try (InputStream content = workspaces.open(entry)) {
                content.transferTo(out);
            }
        };
        return Response.ok(bytes, MediaType.APPLICATION_OCTET_STREAM_TYPE).build();
    }

    @GET
    @Path("{tree}/archive")
    @Produces(GZIP)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(operationId = "downloadWorkspace", summary = "A workspace as a .tar.gz (for seedloop checkout)",
            description = "The tree in the layout the CLI packs (tree order, times and owners 0, modes 0644/0755,"
                    + " links as links): uploading it again gives the same tree hash. Streamed; a failure after the"
                    + " archive began aborts the connection.")
    @APIResponse(responseCode = "200", description = "the archive",
            content = @Content(mediaType = GZIP, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public Response archive(@Parameter(description = "the tree hash, sha256:<64 hex>") @PathParam("tree") String tree) {
        Tree found = owned(tree);
        StreamingOutput archive = out -> workspaces.writeArchive(found, out);
        return Response.ok(archive, GZIP)
                .header("Content-Disposition", "attachment; filename=\"workspace-"
                        + found.hash().substring("sha256:".length(), "sha256:".length() + 12) + ".tar.gz\"")
                .build();
    }

    private Tree owned(String tree) {
        return workspaces.owned(callers.caller().team(), tree)
                .orElseThrow(() -> new NotFoundException("no such workspace: " + tree));
    }
}
