package dev.seedloop.gateway.application;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ForbiddenException;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/** Reads the {@link Caller} out of the request's verified token. */
@RequestScoped
public class CallerResolver {

    @Inject
    SecurityIdentity identity;

    @Inject
    JsonWebToken token;

    /**
     * @throws ForbiddenException if the token names no valid team: such a caller can see nothing, and must
     *                            not be mistaken for a member of some default team
     */
    public Caller caller() {
        String team = token.getClaim("team");
        if (!Caller.isValidTeam(team)) {
            throw new ForbiddenException("the access token carries no valid 'team' claim; ask an administrator"
                    + " to put your account in a team");
        }
        String username = token.getClaim("preferred_username");
        if (username == null || username.isBlank()) {
            username = token.getSubject();
        }
        return new Caller(username, team, identity.getRoles());
    }
}
