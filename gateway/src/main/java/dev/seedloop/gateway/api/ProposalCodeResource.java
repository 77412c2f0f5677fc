package dev.seedloop.gateway.api;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;

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
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.seedloop.artifacts.ArtifactRejectedException;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.gateway.application.CallerResolver;
import dev.seedloop.gateway.application.ProposalCode;
import dev.seedloop.gateway.domain.ProposalLineage;
import io.smallrye.common.annotation.Blocking;

/**
 * A proposal's code (ADR 0018): the tree it was built on, the tree its experiment ran, one file of it, and what it
 * changed. Its own path literal, longer than {@link StudyResource}'s, so JAX-RS hands these requests here. Another
 * team's study, and a tree the team does not own, answer 404 like a missing one.
 */
@Path("/api/v1/studies/{studyId}/proposals/{proposalId}")
@Tag(name = "studies", description = "Studies of the caller's team: create, fork, steer, read, stream")
@SecurityRequirement(name = ApiSecurity.SCHEME)
public class ProposalCodeResource {

    public static final String TEXT = "text/plain; charset=utf-8";

    /** The proposal's trees and, once built, the files of its own tree in tree order. */
    public record ProposalTreeView(String proposalId, String parentTree, String tree, List<FileView> files) {
    }

    /** One entry of the tree: its path, its mode (100644, 100755, 120000 for a link), size and content hash. */
    public record FileView(String path, String mode, long size, String sha256) {
    }

    @Inject
    CallerResolver callers;

    @Inject
    ProposalCode code;

    @GET
    @Path("tree")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(operationId = "getProposalTree", summary = "The trees of a proposal's code and its files",
            description = "`parentTree` is the tree the proposal's patches apply to, `tree` the tree its experiment"
                    + " ran (parent plus patches), both from the study's events; `tree` is null and `files` empty until"
                    + " the implementer has built it, and both are null for a study without an uploaded workspace."
                    + " `seedloop checkout --proposal` downloads `tree` through `/api/v1/workspaces/{tree}/archive`.")
    @APIResponse(responseCode = "200", description = "the proposal's trees",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ProposalTreeView.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public ProposalTreeView tree(@PathParam("studyId") String studyId,
            @Parameter(description = "the proposal's id") @PathParam("proposalId") String proposalId) {
        String team = callers.caller().team();
        ProposalLineage.Code found = code.code(team, studyId, proposalId);
        List<FileView> files = found.tree() == null ? List.of()
                : code.owned(team, found.tree(), "the tree of proposal " + proposalId).entries().stream()
                        .map(e -> new FileView(e.path().value(), e.kind().mode(), e.size(), e.blob())).toList();
        return new ProposalTreeView(found.proposalId().toString(), found.parentTree(), found.tree(), files);
    }

    @GET
    @Path("files/{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(operationId = "getProposalFile", summary = "One file's bytes from the tree a proposal's experiment ran",
            description = "Streamed from the artifact store. The path is normalised as in the tree (`./a//b` is"
                    + " `a/b`); an absolute path, `..` or a control character is refused (400). A symbolic link"
                    + " answers its target text. 404 while the proposal's tree is not built, and for a path it lacks.")
    @APIResponse(responseCode = "200", description = "the file's bytes",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                    schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response file(@PathParam("studyId") String studyId,
            @Parameter(description = "the proposal's id") @PathParam("proposalId") String proposalId,
            @Parameter(description = "the file's path in the tree") @PathParam("path") String path) {
        TreePath normalised;
        try {
            normalised = TreePath.of(path);
        } catch (ArtifactRejectedException e) {
            throw new BadRequestException("not a path in a tree (" + e.reason().code() + "): " + e.getMessage());
        }
        TreeEntry entry = code.file(callers.caller().team(), studyId, proposalId, normalised);
        StreamingOutput bytes = out -> {
            try (InputStream content = code.open(entry)) {
                content.transferTo(out);
            }
        };
        return Response.ok(bytes, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Length", entry.size()).build();
    }

    @GET
    @Path("diff")
    @Produces(TEXT)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(operationId = "diffProposal", summary = "What a proposal changed, as a unified diff",
            description = "`git diff`-style text from the proposal's parent tree (default) or, with"
                    + " `against=champion`, from the study's current champion's tree, to the tree the proposal's"
                    + " experiment ran: `diff --git` headers, mode lines, hunks with 3 lines of context, `Binary files"
                    + " ... differ` for binary files and files over 4 MiB; `git apply` applies it to the other side."
                    + " Empty when nothing differs. A diff over the installation's"
                    + " `seedloop.gateway.workspaces.max-diff-bytes` is refused (422, `reason` diff-too-large), never"
                    + " cut. 409 while a side does not exist: the proposal's tree not built yet, no parent tree (a study"
                    + " without an uploaded workspace), no champion yet.")
    @APIResponse(responseCode = "200", description = "the unified diff",
            headers = {
                    @Header(name = "Seedloop-Diff-From", description = "the tree the diff starts from",
                            schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Seedloop-Diff-To", description = "the proposal's tree",
                            schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = TEXT, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", description = "a side of the diff does not exist yet (see the detail)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "the diff is larger than the installation allows (`reason`"
            + " diff-too-large); read the file list or check the code out instead",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response diff(@PathParam("studyId") String studyId,
            @Parameter(description = "the proposal's id") @PathParam("proposalId") String proposalId,
            @Parameter(description = "`parent` (default) or `champion`")
            @QueryParam("against") @DefaultValue("parent") String against) {
        ProposalCode.Against side = switch (against.toLowerCase(Locale.ROOT)) {
            case "parent" -> ProposalCode.Against.PARENT;
            case "champion" -> ProposalCode.Against.CHAMPION;
            default -> throw new BadRequestException("against must be parent or champion, not " + against);
        };
        ProposalCode.Diff diff = code.diff(callers.caller().team(), studyId, proposalId, side);
        return Response.ok(diff.text(), TEXT).header("Seedloop-Diff-From", diff.from())
                .header("Seedloop-Diff-To", diff.to()).build();
    }
}
