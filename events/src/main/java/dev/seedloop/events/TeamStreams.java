package dev.seedloop.events;

/**
 * Stream keys of team-scoped events. The envelope's {@code studyId} is the stream key: a study id for
 * study events, {@code team:<name>} for a team's own settings. Study ids are UUIDs and never contain ':'.
 */
public final class TeamStreams {

    private static final String PREFIX = "team:";

    private TeamStreams() {
    }

    public static String streamId(String team) {
        return PREFIX + Checks.notBlank(team, "team");
    }

    public static boolean isTeamStream(String streamId) {
        return streamId != null && streamId.startsWith(PREFIX);
    }
}
