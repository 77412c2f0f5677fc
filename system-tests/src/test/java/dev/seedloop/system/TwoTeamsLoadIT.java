package dev.seedloop.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.stack.bench.LoadRun;
import dev.seedloop.stack.bench.StageLatencies;
import dev.seedloop.testsupport.Tokens;

/**
 * The reduced CI form of {@code ./seedloop bench load} (issue #15): 2 teams x 2 studies x 10 trivial sandboxed
 * experiments, parallelism 4, at once on the running stack, with the bench's own checks ({@link LoadRun}): all
 * complete with their whole budget, nothing lost or duplicated per proposal, every event on a study's stream its own,
 * and each team gets 404 for the other's studies and events.
 */
class TwoTeamsLoadIT {

    @Test
    void twoTeamsStudiesAtOnceAllCompleteWithNothingLostDuplicatedOrShared() throws Exception {
        RunningStack stack = RunningStack.get();
        LoadRun.Report report = LoadRun.run(List.of(team(stack, "alice", "team-a"), team(stack, "bob", "team-b")),
                new LoadRun.Plan(2, 10, 4, Duration.ofMinutes(4)), System.out);
        report.print(System.out);

        assertThat(report.problems()).isEmpty();
        assertThat(report.studies()).hasSize(4);
        assertThat(report.experiments()).isEqualTo(40);
        assertThat(report.latencies().stage(StageLatencies.PROPOSED_TO_STARTED).count()).isEqualTo(40);
    }

    private static LoadRun.Team team(RunningStack stack, String prefix, String team) {
        return new LoadRun.Team(team, client(stack, prefix + "-researcher"), client(stack, prefix + "-admin"));
    }

    /** A gateway client with a token of the shared Keycloak, fetched once: it outlives this test (15 minutes). */
    private static GatewayClient client(RunningStack stack, String user) {
        String token = Tokens.of(user);
        return new GatewayClient(HttpClient.newHttpClient(), "http://127.0.0.1:" + stack.port("gateway"), () -> token);
    }
}
