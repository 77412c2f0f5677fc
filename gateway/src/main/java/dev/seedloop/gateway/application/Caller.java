package dev.seedloop.gateway.application;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who is calling, from the verified access token: the user name and team that scope every read and are
 * recorded in every write, and the realm roles.
 */
public record Caller(String username, String team, Set<String> roles) {

    private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** A team name usable as a stream key and in paths; anything else in a token is refused. */
    public static boolean isValidTeam(String team) {
        return team != null && TEAM.matcher(team).matches();
    }
}
