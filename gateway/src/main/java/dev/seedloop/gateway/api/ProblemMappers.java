package dev.seedloop.gateway.api;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.seedloop.artifacts.ArtifactRejectedException;
import dev.seedloop.artifacts.ExportArtifacts;
import dev.seedloop.events.StudyExport;
import dev.seedloop.gateway.application.StudyCommands;
import dev.seedloop.gateway.application.StudyTransfer;
import dev.seedloop.gateway.domain.DiffTooLarge;
import dev.seedloop.gateway.domain.SpecTooLarge;
import dev.seedloop.gateway.domain.SpecViolations;
import dev.seedloop.gateway.domain.StudyControl;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;

/** Maps every failure to problem+json, so no client ever has to parse an HTML or plain-text error. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String TYPES = "https://seedloop.dev/problems/";

    @ServerExceptionMapper
    public Response invalidSpec(SpecViolations violations, UriInfo uri) {
        List<Problem.FieldError> errors = violations.violations().stream()
                .map(v -> new Problem.FieldError(v.path(), v.message()))
                .toList();
        return problem(new Problem(TYPES + "invalid-study-spec", "Invalid study spec", 400,
                errors.size() + " problem(s) in the study spec; nothing was created", path(uri), errors));
    }

    @ServerExceptionMapper
    public Response tooLarge(SpecTooLarge e, UriInfo uri) {
        return problem(new Problem(TYPES + "spec-too-large", "Study spec too large", 413, e.getMessage(), path(uri),
                null));
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String where = e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                ? " at '" + mismatch.getPathReference() + "'"
                : "";
        String detail = "the body is not valid JSON for this request" + where + ": " + e.getOriginalMessage();
        return problem(new Problem(TYPES + "unreadable-body", "Unreadable request body", 400, detail, path(uri),
                null));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        // Quarkus REST wraps body-parsing failures; unwrap them so the client learns where its JSON broke.
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable, uri);
        }
        if (e instanceof jakarta.ws.rs.NotFoundException && e.getCause() != null
                && !(e.getCause() instanceof WebApplicationException)) {
            // JAX-RS answers a query or path parameter it cannot convert (limit=abc, a number past int) with 404,
            // which tells the client the resource is missing when its request is what is wrong.
            return problem(new Problem(TYPES + "bad-parameter", "Bad Request", 400,
                    "a parameter of the request could not be read: " + e.getCause().getMessage(), path(uri), null));
        }
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return problem(new Problem("about:blank", title, status, e.getMessage(), path(uri), null));
    }

    @ServerExceptionMapper
    public Response notAuthenticated(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response notAuthenticated(UnauthorizedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response notAllowed(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return problem(new Problem(TYPES + "forbidden", "Forbidden", 403,
                "your roles do not allow this operation", path(uri), null));
    }

    @ServerExceptionMapper
    public Response damagedImport(StudyExport.Refused refused, UriInfo uri) {
        return problem(new Problem(TYPES + "invalid-export", "Study export refused", 400,
                "the file was refused at line " + refused.line() + "; nothing was imported", path(uri),
                List.of(new Problem.FieldError("line " + refused.line(), refused.reason()))));
    }

    /** A refused artifact section of an import: like a damaged file, with the stable code of what is wrong. */
    @ServerExceptionMapper
    public Response refusedImportArtifacts(ExportArtifacts.Refused refused, UriInfo uri) {
        return problem(new Problem(TYPES + "invalid-export", "Study export refused", 400,
                "the file was refused at line " + refused.line() + "; nothing was imported", path(uri),
                List.of(new Problem.FieldError("line " + refused.line(), refused.reason())), null, refused.code()));
    }

    /** A refused upload: 413 over a size or count limit, 400 otherwise; the stable reason code and the entry. */
    @ServerExceptionMapper
    public Response refusedArchive(ArtifactRejectedException e, UriInfo uri) {
        boolean tooLarge = e.reason() == ArtifactRejectedException.Reason.LIMIT_EXCEEDED;
        List<Problem.FieldError> entry = e.path().map(path -> List.of(new Problem.FieldError(path, e.getMessage())))
                .orElse(null);
        return problem(new Problem(TYPES + "workspace-refused", tooLarge ? "Workspace too large" : "Workspace refused",
                tooLarge ? 413 : 400, e.getMessage(), path(uri), entry, null,
                e.reason().code()));
    }

    @ServerExceptionMapper
    public Response diffTooLarge(DiffTooLarge e, UriInfo uri) {
        return problem(new Problem(TYPES + "diff-too-large", "Diff too large", 422, e.getMessage(), path(uri), null,
                null, "diff-too-large"));
    }

    @ServerExceptionMapper
    public Response conflict(StudyControl.Conflict e, UriInfo uri) {
        return problem(new Problem(TYPES + "conflict", "Conflict with the study's state", 409, e.getMessage(),
                path(uri), null));
    }

    @ServerExceptionMapper
    public Response quota(StudyCommands.QuotaExceeded e, UriInfo uri) {
        Long retryAfter = e.retryAfterSeconds() == null ? null : Math.max(1, e.retryAfterSeconds());
        Response.ResponseBuilder response = Response.status(e.status()).type(Problem.MEDIA_TYPE)
                .entity(new Problem(TYPES + "quota", e.title(), e.status(), e.getMessage(), path(uri), null,
                        retryAfter));
        if (retryAfter != null) {
            response.header("Retry-After", retryAfter);
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response importsBusy(StudyTransfer.ImportsBusy e, UriInfo uri) {
        return Response.status(429).type(Problem.MEDIA_TYPE).header("Retry-After", e.retryAfterSeconds())
                .entity(new Problem(TYPES + "imports-busy", "Too many imports at once", 429, e.getMessage(), path(uri),
                        null, e.retryAfterSeconds()))
                .build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.error("Unexpected failure answering " + path(uri), e);
        return problem(new Problem("about:blank", "Internal Server Error", 500,
                "the gateway failed unexpectedly; the error is logged", path(uri), null));
    }

    private static Response unauthorized(UriInfo uri) {
        // Deliberately vague: telling an attacker which check failed (expiry, signature, issuer, audience) helps them.
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer realm=\"seedloop\"")
                .entity(new Problem(TYPES + "unauthenticated", "Unauthorized", 401,
                        "a valid bearer access token for the seedloop gateway is required", path(uri), null))
                .build();
    }

    private static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }
}
