package dev.seedloop.gateway.api;

import java.util.List;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * Gives every operation that requires the bearer scheme its 401 and 403 problem responses: every such operation
 * answers both (a missing or bad token; a token without the roles or the team claim), so they are not left to each
 * resource to remember. Registered with {@code mp.openapi.filter}; runs when the document is built.
 */
public class OpenApiRules implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        List<SecurityRequirement> documentDefault = openAPI.getSecurity();
        openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            List<SecurityRequirement> security = operation.getSecurity() != null ? operation.getSecurity()
                    : documentDefault;
            if (requiresBearer(security)) {
                addIfAbsent(operation, "401", ProblemResponses.UNAUTHORIZED);
                addIfAbsent(operation, "403", ProblemResponses.FORBIDDEN);
            }
        }));
    }

    private static boolean requiresBearer(List<SecurityRequirement> security) {
        return security != null && security.stream()
                .anyMatch(requirement -> requirement.hasScheme(ApiSecurity.SCHEME));
    }

    private static void addIfAbsent(Operation operation, String status, String component) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        if (!operation.getResponses().hasAPIResponse(status)) {
            operation.getResponses().addAPIResponse(status,
                    OASFactory.createAPIResponse().ref(component));
        }
    }
}
