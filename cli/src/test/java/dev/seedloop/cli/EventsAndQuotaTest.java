package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;

class EventsAndQuotaTest extends CliTestBase {

    private static final String EVENTS = Fixtures.STUDY_PATH + "/events";
    private static final String STREAM = Fixtures.STUDY_PATH + "/stream";

    private static String page(boolean more, long firstSequence, EventEnvelope... events) {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < events.length; i++) {
            items.append(i == 0 ? "" : ",").append("{\"sequence\":").append(firstSequence + i).append(",\"event\":")
                    .append(Fixtures.json(events[i])).append('}');
        }
        return "{\"items\":[" + items + "],\"more\":" + more + "}";
    }

    @Test
    void pagesThroughTheStoredEventsThenFollowsTheStreamUntilTheEnd() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 3));
        gateway.route("GET", EVENTS, (request, exchange) -> FakeGateway.respond(exchange, 200,
                request.query().startsWith("after=0&") ? page(true, 1, SampleEvents.studyCreated(),
                        SampleEvents.proposalCreated()) : page(false, 3, SampleEvents.experimentCompleted()),
                java.util.Map.of()));
        gateway.route("GET", STREAM, (request, exchange) -> Fixtures.stream(exchange,
                Fixtures.splitFrame(4, SampleEvents.championChanged()), Fixtures.frame(5, SampleEvents.studyCompleted())));

        CliRunner.Result result = cli.run("events", Fixtures.STUDY, "--follow", "--output", "json");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(gateway.requestsTo(EVENTS)).extracting(FakeGateway.Request::query)
                .containsExactly("after=0&limit=100", "after=2&limit=100");
        assertThat(gateway.requestsTo(STREAM).getFirst().query()).isEqualTo("after=3");
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(3)).isEqualTo("{\"sequence\":4,\"event\":" + Fixtures.json(SampleEvents.championChanged())
                + "}");
    }

    @Test
    void typeFiltersGoToTheGatewayAndTextShowsOneEventALine() {
        gateway.json("GET", EVENTS, 200, page(false, 4, SampleEvents.championChanged()));

        CliRunner.Result result = cli.run("events", Fixtures.STUDY, "--after", "3", "--type",
                "seedloop.champion.changed", "--type", "seedloop.study.completed");

        assertThat(result.exit()).isZero();
        assertThat(gateway.requestsTo(EVENTS).getFirst().query()).isEqualTo(
                "after=3&limit=100&type=seedloop.champion.changed&type=seedloop.study.completed");
        assertThat(result.out()).startsWith("     4  2026-11-23T12:03:45.103Z  seedloop.champion.changed       "
                + "{\"proposalId\":");
        assertThat(gateway.requestsTo(STREAM)).isEmpty();
    }

    @Test
    void followingAFinishedStudyStopsAfterTheStoredEvents() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("completed", 5));
        gateway.json("GET", EVENTS, 200, page(false, 5, SampleEvents.studyCompleted()));

        assertThat(cli.run("events", Fixtures.STUDY, "--follow", "--type", "seedloop.champion.changed").exit()).isZero();
        assertThat(gateway.requestsTo(STREAM)).isEmpty();
    }

    @Test
    void quotaIsTheTokensTeam() {
        gateway.json("GET", "/api/v1/teams/team-a/quota", 200, "{\"team\":\"team-a\",\"maxConcurrentStudies\":3,"
                + "\"maxExperimentsPerDay\":1000,\"activeStudies\":1,\"experimentsToday\":40,\"setBy\":null,"
                + "\"setAt\":null}");

        CliRunner.Result result = cli.run("quota");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("Team team-a: 1 of 3 concurrent studies, 40 of 1000 experiments today (UTC).");
    }

    @Test
    void settingOneQuotaKeepsTheOther() {
        gateway.json("GET", "/api/v1/teams/team-a/quota", 200, "{\"team\":\"team-a\",\"maxConcurrentStudies\":3,"
                + "\"maxExperimentsPerDay\":1000,\"activeStudies\":1,\"experimentsToday\":40}");
        String updated = "{\"team\":\"team-a\",\"maxConcurrentStudies\":3,\"maxExperimentsPerDay\":500,"
                + "\"activeStudies\":1,\"experimentsToday\":40,\"setBy\":\"alice\",\"setAt\":\"2026-11-28T12:00:00Z\"}";
        gateway.json("PUT", "/api/v1/teams/team-a/quota", 200, updated);

        CliRunner.Result result = cli.run("quota", "--set-daily", "500", "--output", "json");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo(updated + System.lineSeparator());
        assertThat(gateway.requestsTo("/api/v1/teams/team-a/quota").getLast().body())
                .isEqualTo("{\"maxConcurrentStudies\":3,\"maxExperimentsPerDay\":500}");
    }

    @Test
    void aQuotaBelowOneIsAUsageError() {
        assertThat(cli.run("quota", "--set-concurrent", "0").exit()).isEqualTo(ExitCode.USAGE);
    }
}
