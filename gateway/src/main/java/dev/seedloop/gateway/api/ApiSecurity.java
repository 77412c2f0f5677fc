package dev.seedloop.gateway.api;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** Declares the bearer scheme every protected operation of the OpenAPI document refers to. */
@OpenAPIDefinition(info = @Info(title = "Seedloop gateway", version = "v1",
        description = "Studies of the caller's team; errors are RFC 9457 problem+json"))
@SecurityScheme(securitySchemeName = ApiSecurity.SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "Access token from the Keycloak realm 'seedloop' with audience"
                + " 'seedloop-gateway' and a 'team' claim")
public class ApiSecurity extends Application {

    public static final String SCHEME = "bearer";
}
