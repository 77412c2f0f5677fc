package dev.seedloop.proposer;

import static dev.seedloop.proposer.StudyEvents.awaitDeadLetter;
import static dev.seedloop.proposer.StudyEvents.awaitProposalsCausedBy;
import static dev.seedloop.proposer.StudyEvents.header;
import static dev.seedloop.proposer.StudyEvents.ordinals;
import static dev.seedloop.proposer.StudyEvents.proposalsCausedBy;
import static dev.seedloop.proposer.StudyEvents.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.Topics;
import dev.seedloop.messaging.DeadLetters;
import dev.seedloop.messaging.OutboundEvents;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * No failure of one record stops the proposer's channels: a broker outage is retried until it passes (readiness
 * says so meanwhile), a record that always fails is parked with its reason, and a study nobody knows (or one that
 * was imported) is a matter of that record alone.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ProposerFailuresTest {

    @Inject
    OutboundEvents outbound;

    @Test
    void aBrokerOutageIsRetriedUntilItPassesAndTheRequestIsServedOnceWithReadinessDownMeanwhile() {
        StudyEvents study = StudyEvents.newStudy();
        publish(Topics.STUDIES, study.created);
        EventEnvelope first = study.firstRequest(2);
        publish(Topics.STRATEGY, first);
        awaitProposalsCausedBy(first, 2);
        Outage outage = new Outage(ClientProxy.unwrap(outbound), study.id());
        QuarkusMock.installMockForType(outage, OutboundEvents.class);

        EventEnvelope request = study.request(2, 2);
        publish(Topics.STRATEGY, request);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get("/q/health/ready").then()
                .statusCode(503)
                .body("checks.find { it.name == 'seedloop-channels' }.status", org.hamcrest.Matchers.is("DOWN"))
                .body("checks.find { it.name == 'seedloop-channels' }.data.strategy-in", containsString("unavailable")));
        assertThat(outage.refused.get()).as("the outage was met at least twice: retried").isGreaterThanOrEqualTo(2);
        assertThat(proposalsCausedBy(request)).isEmpty();

        outage.over();
        assertThat(ordinals(awaitProposalsCausedBy(request, 2))).containsExactlyInAnyOrder(2, 3);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get("/q/health/ready").then()
                .body("checks.find { it.name == 'seedloop-channels' }.status", org.hamcrest.Matchers.is("UP")));

        // The channel lives on; the next request of the study (after the first on its partition) is served too.
        EventEnvelope next = study.request(4, 1);
        publish(Topics.STRATEGY, next);
        assertThat(ordinals(awaitProposalsCausedBy(next, 1))).containsExactly(4);
        assertThat(proposalsCausedBy(request)).as("served once").hasSize(2);
    }

    @Test
    void aRecordThatAlwaysFailsIsDeadLetteredWithItsReasonAndTheNextIsServed() {
        StudyEvents broken = StudyEvents.newStudyWithStrategy("no-such-strategy");
        publish(Topics.STUDIES, broken.created);
        EventEnvelope brokenRequest = broken.request(2, 1);
        publish(Topics.STRATEGY, brokenRequest);
        StudyEvents healthy = StudyEvents.newStudy();
        publish(Topics.STUDIES, healthy.created);
        EventEnvelope healthyRequest = healthy.request(2, 1);
        publish(Topics.STRATEGY, healthyRequest);

        var parkedRequest = awaitDeadLetter(brokenRequest);
        assertThat(header(parkedRequest, DeadLetters.REASON)).contains("unknown strategy 'no-such-strategy'");
        assertThat(header(parkedRequest, DeadLetters.TOPIC)).isEqualTo(Topics.STRATEGY);
        assertThat(ordinals(awaitProposalsCausedBy(healthyRequest, 1))).containsExactly(2);
        RestAssured.get("/q/health/ready").then()
                .body("checks.find { it.name == 'seedloop-channels' }.status", org.hamcrest.Matchers.is("UP"));
    }

    @Test
    void aRequestForAStudyNobodyKnowsIsDeadLetteredAndTheNextStudysRequestIsServed() {
        StudyEvents unknown = StudyEvents.newStudy(); // never created
        EventEnvelope orphan = unknown.request(2, 1);
        publish(Topics.STRATEGY, orphan);
        StudyEvents known = StudyEvents.newStudy();
        publish(Topics.STUDIES, known.created);
        EventEnvelope request = known.request(2, 1);
        publish(Topics.STRATEGY, request);

        assertThat(header(awaitDeadLetter(orphan), DeadLetters.REASON)).contains(unknown.id()).contains("unknown");
        assertThat(ordinals(awaitProposalsCausedBy(request, 1))).containsExactly(2);
    }

    @Test
    void anImportedPausedStudyThatIsResumedGetsTheProposalsItIsAskedFor() {
        StudyEvents imported = StudyEvents.newStudy();
        List<EventEnvelope> slice = new ArrayList<>();
        slice.add(imported.created);
        slice.addAll(imported.firstBatch(2));
        slice.add(imported.control(new StudyPaused("alice", "moved to another installation")));
        KafkaTopics.produce(Topics.IMPORTS, imported.id(), jsonLines(slice));

        publish(Topics.STUDIES, imported.control(new StudyResumed("bob")));
        EventEnvelope request = imported.request(2, 1);
        publish(Topics.STRATEGY, request);

        assertThat(ordinals(awaitProposalsCausedBy(request, 1))).containsExactly(2);
        assertThat(KafkaTopics.readAll(Topics.DEAD_LETTERS, r -> imported.id().equals(r.key()))).isEmpty();
    }

    private static byte[] jsonLines(List<EventEnvelope> events) {
        StringBuilder lines = new StringBuilder();
        events.forEach(e -> lines.append(StudyEvents.CODEC.encodeToString(e)).append('\n'));
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The publishing seam during a broker outage for one study: its sends fail until {@link #over()}. */
    static final class Outage extends OutboundEvents {

        private final OutboundEvents real;
        private final String study;
        private volatile boolean down = true;
        final AtomicInteger refused = new AtomicInteger();

        Outage(OutboundEvents real, String study) {
            this.real = real;
            this.study = study;
        }

        void over() {
            down = false;
        }

        @Override
        public Uni<Void> publish(MutinyEmitter<byte[]> channel, List<EventEnvelope> events) {
            if (down && events.stream().anyMatch(e -> study.equals(e.studyId()))) {
                refused.incrementAndGet();
                return Uni.createFrom().failure(new org.apache.kafka.common.errors.TimeoutException(
                        "broker unavailable (test outage)"));
            }
            return real.publish(channel, events);
        }

        @Override
        public Uni<Void> publishInOrder(MutinyEmitter<byte[]> channel, List<EventEnvelope> events,
                java.util.function.Consumer<EventEnvelope> sent) {
            if (down && events.stream().anyMatch(e -> study.equals(e.studyId()))) {
                refused.incrementAndGet();
                return Uni.createFrom().failure(new org.apache.kafka.common.errors.TimeoutException(
                        "broker unavailable (test outage)"));
            }
            return real.publishInOrder(channel, events, sent);
        }
    }
}
