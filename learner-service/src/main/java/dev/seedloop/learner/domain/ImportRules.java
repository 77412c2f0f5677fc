package dev.seedloop.learner.domain;

import java.util.List;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.TeamStreams;
import dev.seedloop.events.Topics;

/**
 * What an import may store: the history of one study and nothing else (ADR 0010). A slice on
 * {@code seedloop.imports} is keyed by the imported study's id; every event in it must belong to that study's own
 * stream, to one team, and be a study event. Governance events (a team's {@code TeamQuotaSet}) are the team admin's
 * to make through the API: carried in a file, one would let a team raise its own quota.
 *
 * <p>The gateway refuses such files before it publishes anything; this is the learner's own check, for whatever
 * reaches the topic, and for the restore, which reads the topic again.
 */
public final class ImportRules {

    private ImportRules() {
    }

    /** Why the slice keyed {@code studyId} must not be stored, or null when it may be. */
    public static String problem(String studyId, List<EventEnvelope> events) {
        if (studyId == null || studyId.isBlank()) {
            return "an import slice must be keyed by the imported study's id";
        }
        if (TeamStreams.isTeamStream(studyId)) {
            return "imports carry study history only, not the team stream " + studyId;
        }
        String team = events.isEmpty() ? null : events.getFirst().team();
        for (EventEnvelope event : events) {
            String type = EventTypes.forPayload(event.payload().getClass()).name();
            if (!studyId.equals(event.studyId())) {
                return "event " + event.eventId() + " (" + type + ") belongs to stream " + event.studyId()
                        + ", not to the imported study " + studyId;
            }
            if (Topics.TEAMS.equals(EventTypes.forPayload(event.payload().getClass()).topic())) {
                return "event " + event.eventId() + " (" + type + ") is a governance event: imports carry study"
                        + " history only";
            }
            if (!team.equals(event.team())) {
                return "event " + event.eventId() + " (" + type + ") is of team " + event.team() + ", the slice's"
                        + " first event of team " + team;
            }
        }
        return null;
    }
}
