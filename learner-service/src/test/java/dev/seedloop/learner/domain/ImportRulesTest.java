package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Services;
import dev.seedloop.events.TeamQuotaSet;
import dev.seedloop.events.TeamStreams;
import dev.seedloop.events.Verdict;

class ImportRulesTest {

    private final Events ev = new Events();

    private List<EventEnvelope> history() {
        return List.of(ev.created(Direction.MINIMIZE, null, 10, 600, 2, 1),
                ev.proposed(Events.proposal(0), 0, "random", List.of()),
                ev.evaluated(Events.proposal(0), Verdict.NEW_CHAMPION, 0.4));
    }

    private static EventEnvelope moved(EventEnvelope e, String studyId, String team) {
        return new EventEnvelope(e.eventId(), studyId, team, e.occurredAt(), e.causationId(), e.correlationId(),
                e.producer(), e.payload());
    }

    @Test
    void aStudysOwnHistoryMayBeImported() {
        assertThat(ImportRules.problem(Events.STUDY, history())).isNull();
        assertThat(ImportRules.problem(Events.STUDY, List.of())).isNull();
    }

    @Test
    void aTeamQuotaFiledUnderTheStudyIsAGovernanceEventAndRefused() {
        EventEnvelope quota = moved(ev.envelope(Services.GATEWAY, new TeamQuotaSet(1000, 1_000_000, "mallory")),
                Events.STUDY, Events.TEAM);

        assertThat(ImportRules.problem(Events.STUDY, List.of(history().getFirst(), quota)))
                .contains(quota.eventId().toString()).contains("seedloop.team.quota-set").contains("governance");
    }

    @Test
    void eventsOfAnotherStreamOrTeamAreRefused() {
        EventEnvelope stranger = moved(history().get(1), "study-2", Events.TEAM);
        EventEnvelope teamEvent = moved(ev.envelope(Services.GATEWAY, new TeamQuotaSet(1, 1, "mallory")),
                TeamStreams.streamId(Events.TEAM), Events.TEAM);
        EventEnvelope otherTeam = moved(history().get(1), Events.STUDY, "team-b");

        assertThat(ImportRules.problem(Events.STUDY, List.of(history().getFirst(), stranger))).contains("study-2");
        assertThat(ImportRules.problem(Events.STUDY, List.of(teamEvent))).contains(TeamStreams.streamId(Events.TEAM));
        assertThat(ImportRules.problem(Events.STUDY, List.of(history().getFirst(), otherTeam))).contains("team-b");
    }

    @Test
    void aSliceMustBeKeyedByAStudy() {
        assertThat(ImportRules.problem(null, history())).isNotNull();
        assertThat(ImportRules.problem(TeamStreams.streamId(Events.TEAM), List.of())).contains("team stream");
        assertThat(ImportRules.problem(UUID.randomUUID().toString(), history())).contains("not to the imported study");
    }
}
