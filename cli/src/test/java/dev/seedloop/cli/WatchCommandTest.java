package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.events.SampleEvents;

class WatchCommandTest extends CliTestBase {

    private static final String STREAM = Fixtures.STUDY_PATH + "/stream";

    @Test
    void followsToCompletionAcrossADisconnectResumingWithLastEventId() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 0));
        AtomicInteger connections = new AtomicInteger();
        gateway.route("GET", STREAM, (request, exchange) -> {
            if (connections.incrementAndGet() == 1) {
                // The connection drops after two events.
                Fixtures.stream(exchange, Fixtures.frame(1, SampleEvents.studyCreated()),
                        Fixtures.splitFrame(2, SampleEvents.proposalCreated()));
            } else {
                Fixtures.stream(exchange, Fixtures.frame(3, SampleEvents.experimentCompleted()),
                        Fixtures.frame(4, SampleEvents.championChanged()),
                        Fixtures.frame(5, SampleEvents.studyCompleted()));
            }
        });

        CliRunner.Result result = cli.run("study", "watch", Fixtures.STUDY);

        assertThat(result.exit()).as(result.err()).isEqualTo(ExitCode.OK);
        var streams = gateway.requestsTo(STREAM);
        assertThat(streams).hasSize(2);
        assertThat(streams.get(0).query()).isEqualTo("after=0");
        assertThat(streams.get(0).header("Last-Event-ID")).isNull();
        assertThat(streams.get(1).header("Last-Event-ID")).isEqualTo("2");
        assertThat(streams.get(1).query()).isEqualTo("after=2");
        assertThat(streams.get(0).header("Accept")).isEqualTo("text/event-stream");
        assertThat(result.out()).contains(
                "Study " + Fixtures.STUDY + " \"resnet-lr-sweep\": running, budget 1/40, strategy evolutionary.",
                "  experiments 0/40 | best val_loss - | champion changes 0",
                "  experiments 1/40 | best val_loss - | champion changes 0",
                "  new champion: proposal #7 (mutate), val_loss 0.0412",
                "  experiments 1/40 | best val_loss 0.0412 | champion changes 1",
                "Study completed: budget exhausted: 40 of 40 experiments after 40 experiments; best val_loss 0.0412.");
        assertThat(result.out()).contains("(stream interrupted: the gateway closed the stream; reconnecting)");
    }

    @Test
    void aHaltedStudyEndsTheWatchWithNine() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 0));
        gateway.route("GET", STREAM, (request, exchange) -> Fixtures.stream(exchange,
                Fixtures.frame(1, SampleEvents.studyCreated()), Fixtures.frame(2, SampleEvents.studyHalted())));

        CliRunner.Result result = cli.run("study", "watch", Fixtures.STUDY);

        assertThat(result.exit()).isEqualTo(ExitCode.HALTED);
        assertThat(result.out()).contains("  halted by bob@example.org: objective metric was mis-specified",
                "Study halted.");
    }

    @Test
    void pendingApprovalsShowHowToDecide() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 0));
        gateway.route("GET", STREAM, (request, exchange) -> Fixtures.stream(exchange,
                Fixtures.frame(1, SampleEvents.studyCreated()), Fixtures.frame(2, SampleEvents.proposalCreated()),
                Fixtures.frame(3, SampleEvents.promotionRequested()), Fixtures.frame(4, SampleEvents.studyCompleted())));

        CliRunner.Result result = cli.run("study", "watch", Fixtures.STUDY);

        assertThat(result.out()).contains("  awaiting approval: proposal #7 (mutate), val_loss 0.0412  ->  seedloop "
                + "approve " + Fixtures.STUDY + " " + SampleEvents.PROPOSAL_ID);
        assertThat(result.out()).contains("| pending approvals 1");
    }

    @Test
    void eventsAlreadyShownFoldSilentlyUntilTheWatchCatchesUp() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 4));
        gateway.route("GET", STREAM, (request, exchange) -> Fixtures.stream(exchange,
                Fixtures.frame(1, SampleEvents.studyCreated()), Fixtures.frame(2, SampleEvents.proposalCreated()),
                Fixtures.frame(3, SampleEvents.experimentCompleted()), Fixtures.frame(4, SampleEvents.championChanged()),
                Fixtures.frame(5, SampleEvents.studyCompleted())));

        CliRunner.Result result = cli.run("study", "watch", Fixtures.STUDY);

        assertThat(result.exit()).isZero();
        assertThat(result.out()).doesNotContain("experiments 0/40", "new champion")
                .contains("  champion: proposal #7 (mutate), val_loss 0.0412",
                        "  experiments 1/40 | best val_loss 0.0412 | champion changes 1");
    }

    @Test
    void aFinishedStudyNeedsNoStream() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("halted", 9));

        assertThat(cli.run("study", "watch", Fixtures.STUDY).exit()).isEqualTo(ExitCode.HALTED);
        assertThat(gateway.requestsTo(STREAM)).isEmpty();
    }

    @Test
    void jsonOutputIsOneEnvelopePerLineFromTheViewsSequenceOn() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 2));
        gateway.route("GET", STREAM, (request, exchange) -> Fixtures.stream(exchange,
                Fixtures.splitFrame(3, SampleEvents.experimentCompleted()),
                Fixtures.frame(4, SampleEvents.studyCompleted())));

        CliRunner.Result result = cli.run("study", "watch", Fixtures.STUDY, "--output", "json");

        assertThat(result.exit()).isZero();
        assertThat(gateway.requestsTo(STREAM).getFirst().query()).isEqualTo("after=2");
        assertThat(result.out().lines()).hasSize(2);
        assertThat(result.out().lines().toList().get(1)).isEqualTo(Fixtures.json(SampleEvents.studyCompleted()));
    }

    @Test
    void aStudyCreatedAMomentAgoIsWaitedFor() {
        AtomicInteger reads = new AtomicInteger();
        gateway.route("GET", Fixtures.STUDY_PATH, (request, exchange) -> {
            boolean stored = reads.incrementAndGet() > 2;
            FakeGateway.respond(exchange, stored ? 200 : 404, stored ? Fixtures.studyView("halted", 2)
                    : "{\"title\":\"Not Found\",\"status\":404}", java.util.Map.of());
        });

        assertThat(cli.run("study", "watch", Fixtures.STUDY).exit()).isEqualTo(ExitCode.HALTED);
        assertThat(reads).hasValue(3);
    }

    @Test
    void anUnknownStudyIsFiveAfterAShortGrace() {
        CliRunner.Result result = cli.run("study", "watch", "nope");

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(gateway.requestsTo("/api/v1/studies/nope")).hasSize(21); // 10 s, every 500 ms
    }

    @Test
    void givesUpWhenTheGatewayStaysAway() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 0));
        gateway.json("GET", STREAM, 503, "{\"title\":\"Service Unavailable\",\"status\":503}");

        CliRunner.Result result = cli.run("study", "watch", Fixtures.STUDY);

        assertThat(result.exit()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(result.err()).contains("could not reconnect for 30 s");
        assertThat(gateway.requestsTo(STREAM).size()).isBetween(3, 10);
    }
}
