package dev.seedloop.gateway.api;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Contact;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The OpenAPI document's frame: the bearer scheme, required by every operation unless it declares an empty
 * {@code @SecurityRequirements} (as the endpoint's {@code @PermitAll} must be mirrored), and the problem responses
 * operations refer to by {@link ProblemResponses} name. The rules every operation follows are in gateway/README.md;
 * {@link OpenApiRules} adds 401 and 403 to every operation that requires the bearer scheme.
 */
@OpenAPIDefinition(
        info = @Info(title = "Seedloop gateway", version = "v1",
                description = "Studies of the caller's team: create, fork, steer, read and stream them, export"
                        + " and import them. Every error is an RFC 9457 application/problem+json document (schema Problem).",
                contact = @Contact(name = "Seedloop maintainers", url = "https://seedloop.dev")),
        security = @SecurityRequirement(name = ApiSecurity.SCHEME),
        components = @Components(responses = {
                @APIResponse(name = ProblemResponses.BAD_REQUEST, description = "The request is malformed: a parameter,"
                        + " header or body this operation cannot accept (the detail says which)",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                @APIResponse(name = ProblemResponses.UNAUTHORIZED, description = "No valid bearer access token for the"
                        + " seedloop gateway (missing, expired, wrongly signed, wrong issuer or audience)",
                        headers = @Header(name = "WWW-Authenticate", description = "Bearer realm=\"seedloop\"",
                                schema = @Schema(type = SchemaType.STRING)),
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                @APIResponse(name = ProblemResponses.FORBIDDEN, description = "The token's roles do not allow this"
                        + " operation, or it carries no valid team claim",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                @APIResponse(name = ProblemResponses.NOT_FOUND, description = "No such study (or experiment, candidate,"
                        + " team, workspace, file) for the caller's team; another team's is answered the same way",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                @APIResponse(name = ProblemResponses.NOT_ACCEPTABLE, description = "None of the media types in Accept"
                        + " is one this operation produces",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                @APIResponse(name = ProblemResponses.CONFLICT, description = "The request does not fit the study's"
                        + " current state (the detail says why); nothing was recorded",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                @APIResponse(name = ProblemResponses.PAYLOAD_TOO_LARGE, description = "The spec, or the study's first"
                        + " event it would make, is over its size limit; nothing was created",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                @APIResponse(name = ProblemResponses.UNSUPPORTED_MEDIA_TYPE, description = "The body's Content-Type is"
                        + " not one this operation consumes",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                @APIResponse(name = ProblemResponses.TOO_MANY_REQUESTS, description = "The team's quota is reached;"
                        + " retry after the given seconds (also in the body's retryAfterSeconds)",
                        headers = @Header(name = "Retry-After", description = "seconds to wait before retrying",
                                schema = @Schema(type = SchemaType.INTEGER)),
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                @APIResponse(name = ProblemResponses.SERVICE_UNAVAILABLE, description = "The learner, which answers"
                        + " reads and admissions, did not answer in time or could not; retry shortly",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))}))
@SecurityScheme(securitySchemeName = ApiSecurity.SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "Access token from the Keycloak realm 'seedloop' (OIDC) with audience"
                + " 'seedloop-gateway' and a 'team' claim; GET /api/v1/auth names the issuer and the CLI's client")
public class ApiSecurity extends Application {

    public static final String SCHEME = "bearer";
}
