package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyCompleted;

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

    /**
     * The learner ends a study on the evaluation that spends its budget, and the experiment's own completion (another
     * topic) may be stored after the end, where no watch reads it: the last progress line must still count it.
     */
    @Test
    void theFinalProgressLineCountsAnEvaluationThatCameWithTheCompletion() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 0));
        EventEnvelope sample = SampleEvents.studyCompleted();
        EventEnvelope completed = new EventEnvelope(sample.eventId(), sample.studyId(), sample.team(),
                sample.occurredAt(), sample.causationId(), sample.correlationId(), sample.producer(),
                new StudyCompleted("budget-exhausted", null, null, 2));
        gateway.route("GET", STREAM, (request, exchange) -> Fixtures.stream(exchange,
                Fixtures.frame(1, SampleEvents.studyCreated()), Fixtures.frame(2, SampleEvents.proposalCreated()),
                Fixtures.frame(3, SampleEvents.experimentFailed()), Fixtures.frame(4, SampleEvents.evaluationCompleted()),
                Fixtures.frame(5, completed)));

        CliRunner.Result result = cli.run("study", "watch", Fixtures.STUDY);

        assertThat(result.exit()).as(result.err()).isEqualTo(ExitCode.OK);
        assertThat(result.out()).containsSubsequence("  experiments 1/40 (1 failed)",
                "  experiments 2/40 (1 failed)",
                "Study completed: budget-exhausted after 2 experiments, no valid champion.");
    }

    @Test
    void modelCallsShowTheirSpendAndTheProjectionOnTheProgressLine() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 0));
        gateway.route("GET", STREAM, (request, exchange) -> Fixtures.stream(exchange,
                Fixtures.frame(1, SampleEvents.studyCreated()), Fixtures.frame(2, SampleEvents.proposalCreated()),
                Fixtures.frame(3, SampleEvents.modelCallCompleted()),
                Fixtures.frame(4, SampleEvents.experimentCompleted()), Fixtures.frame(5, SampleEvents.studyHalted())));

        CliRunner.Result result = cli.run("study", "watch", Fixtures.STUDY);

        // The sample study caps 200 calls and $25; one call of 1802 + 412 tokens cost $0.000934, so 40 experiments
        // at that rate come to $0.037.
        assertThat(result.out()).containsSubsequence(
                "  experiments 0/40 | best val_loss - | champion changes 0 | model: 0/200 calls, 0 tokens, $0.00"
                        + " (of $25.00 cap)",
                "  experiments 0/40 | best val_loss - | champion changes 0 | model: 1/200 calls, 2.2k tokens,"
                        + " $0.0009 (of $25.00 cap)",
                "  experiments 1/40 | best val_loss - | champion changes 0 | model: 1/200 calls, 2.2k tokens,"
                        + " $0.0009 (projected $0.04 of $25.00 cap)");
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
    void aLongStudyStartsFromItsViewAndStreamsOnlyWhatFollows() {
        long lastSequence = 1_000_000;
        UUID first = UUID.fromString("0193e1a0-0001-7000-8000-000000000001");
        UUID second = UUID.fromString("0193e1a0-0002-7000-8000-000000000002");
        UUID champion = SampleEvents.PARENT_PROPOSAL_ID;
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.longStudyView(lastSequence, champion));
        gateway.json("GET", Fixtures.STUDY_PATH + "/lineage", 200, Fixtures.lineage(first, second, champion));
        gateway.route("GET", STREAM, (request, exchange) -> Fixtures.stream(exchange,
                Fixtures.frame(lastSequence + 1, SampleEvents.experimentCompleted()),
                Fixtures.frame(lastSequence + 2, SampleEvents.championChanged()),
                Fixtures.frame(lastSequence + 3, SampleEvents.studyCompleted())));

        CliRunner.Result result = cli.run("study", "watch", Fixtures.STUDY);

        assertThat(result.exit()).as(result.err()).isEqualTo(ExitCode.OK);
        assertThat(gateway.requestsTo(STREAM)).singleElement()
                .satisfies(stream -> assertThat(stream.query()).isEqualTo("after=" + lastSequence));
        assertThat(gateway.requestsTo(Fixtures.STUDY_PATH + "/lineage")).singleElement()
                .satisfies(lineage -> assertThat(lineage.query()).isEqualTo("offset=0&limit=1"));
        assertThat(result.out()).containsSubsequence(
                "  champion: proposal " + champion + ", val_loss 0.0530",
                "  experiments 1000/2000 (10 failed) | best val_loss 0.0530 | champion changes 3",
                "  experiments 1001/2000 (10 failed) | best val_loss 0.0530 | champion changes 3",
                "  new champion: proposal " + SampleEvents.PROPOSAL_ID + ", val_loss 0.0412 (was 0.0530)",
                "  experiments 1001/2000 (10 failed) | best val_loss 0.0412 | champion changes 4",
                "Study completed:");
    }

    @Test
    void aChampionTheViewAlreadyCountedIsNotCountedAgain() {
        long lastSequence = 1_000_000;
        UUID champion = SampleEvents.PROPOSAL_ID;
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.longStudyView(lastSequence, champion));
        // Read after the view, the lineage already has a later champion, whose change the stream will bring;
        // and the view's champion's own ChampionChanged comes after lastSequence (the learner crowned it on
        // its evaluation).
        UUID later = UUID.fromString("0193e1a0-0003-7000-8000-000000000003");
        gateway.json("GET", Fixtures.STUDY_PATH + "/lineage", 200,
                Fixtures.lineage(SampleEvents.PARENT_PROPOSAL_ID, champion, later));
        gateway.route("GET", STREAM, (request, exchange) -> Fixtures.stream(exchange,
                Fixtures.frame(lastSequence + 1, SampleEvents.championChanged()),
                Fixtures.frame(lastSequence + 2, SampleEvents.studyHalted())));

        CliRunner.Result result = cli.run("study", "watch", Fixtures.STUDY);

        assertThat(result.exit()).as(result.err()).isEqualTo(ExitCode.HALTED);
        assertThat(result.out()).contains("| champion changes 2").doesNotContain("champion changes 3", "new champion");
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
