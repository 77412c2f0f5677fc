package dev.seedloop.gateway.api;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.seedloop.gateway.application.Caller;
import dev.seedloop.gateway.application.CallerResolver;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

/**
 * The dashboard's own door (ADR 0031): the browser logs in with the authorization code flow (PKCE) of the realm's
 * dashboard client, which Quarkus OIDC runs as the {@code dashboard} tenant on {@code /dashboard/*}, and keeps a
 * session cookie. The page then calls the public API with the session's access token, like any other client, so
 * every rule of the API (teams, roles, limits) holds for it unchanged. Not part of the API document.
 */
@Path("/dashboard")
public class DashboardResource {

    /** Who is logged in and the access token the page sends to the API as a bearer token. */
    public record Session(String username, String team, List<String> roles, String accessToken, Instant expiresAt) {
    }

    @Inject
    CallerResolver callers;

    // In a code-flow tenant the unqualified token is the access token (the ID token is @IdToken).
    @Inject
    JsonWebToken accessToken;

    @Inject
    SseStudyStreams eventStreams;

    @GET
    @Path("session")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Operation(hidden = true)
    public Response session() {
        Caller caller = callers.caller();
        Session session = new Session(caller.username(), caller.team(), caller.roles().stream().sorted().toList(),
                accessToken.getRawToken(), Instant.ofEpochSecond(accessToken.getExpirationTime()));
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(session).cacheControl(noStore).build();
    }

    @GET
    @Path("studies/{studyId}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({"viewer", "researcher", "approver", "admin"})
    @Blocking
    @Operation(hidden = true)
    public Multi<OutboundSseEvent> stream(@PathParam("studyId") String studyId,
            @HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("after") Long after, @Context Sse sse) {
        return eventStreams.open(callers.caller(), studyId, lastEventId, after, sse);
    }
}
