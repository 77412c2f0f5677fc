package dev.seedloop.gateway.api;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.seedloop.gateway.config.GatewayConfig;

/** Where clients log in, so the CLI needs nothing but the gateway's address. Public on purpose. */
@Path("/api/v1/auth")
@Tag(name = "auth", description = "How clients log in (open)")
public class AuthInfoResource {

    /** The OIDC issuer, the public client the CLI uses, and the audience its tokens must carry. */
    public record AuthInfo(String issuer, String cliClientId, String audience) {
    }

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String issuer;

    @Inject
    GatewayConfig config;

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getAuthInfo", summary = "Login settings for clients (no authentication needed)",
            description = "The OIDC issuer to log in at, the public client the CLI uses, and the audience the gateway"
                    + " requires in access tokens. Open, like the OpenAPI document itself.")
    // Mirrors @PermitAll: the document requires the bearer scheme everywhere else.
    @SecurityRequirements
    @APIResponse(responseCode = "200", description = "the login settings")
    @APIResponse(responseCode = "406", ref = ProblemResponses.NOT_ACCEPTABLE)
    public AuthInfo info() {
        return new AuthInfo(issuer, config.cliClientId(), config.audience());
    }
}
