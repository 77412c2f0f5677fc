package dev.seedloop.proposer;

import static dev.seedloop.proposer.StudyEvents.awaitProposalsCausedBy;
import static dev.seedloop.proposer.StudyEvents.ordinals;
import static dev.seedloop.proposer.StudyEvents.proposalsCausedBy;
import static dev.seedloop.proposer.StudyEvents.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * A proposer that starts after a predecessor died while studies were paused: what those studies are owed comes from
 * the topics, not from the dead instance's memory. Before this application starts, {@link LeftBehind} publishes
 * what the predecessor left (three paused studies, each with a request it held and committed) and what happened
 * while no proposer ran (one study resumed, one halted).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(ProposerRestartTest.AfterACrash.class)
class ProposerRestartTest {

    @ConfigProperty(name = "test.left-behind.resumed-while-down")
    String resumedWhileDown;

    @ConfigProperty(name = "test.left-behind.still-paused")
    String stillPaused;

    @ConfigProperty(name = "test.left-behind.halted-while-down")
    String haltedWhileDown;

    @Test
    void heldRequestsAreDerivedFromTheTopicsAtStartAndOnResume() {
        EventEnvelope resumedRequest = LeftBehind.heldRequest(resumedWhileDown);
        EventEnvelope pausedRequest = LeftBehind.heldRequest(stillPaused);
        EventEnvelope haltedRequest = LeftBehind.heldRequest(haltedWhileDown);

        // Resumed while no proposer ran: proposed at start.
        assertThat(ordinals(awaitProposalsCausedBy(resumedRequest, 1))).containsExactly(2);
        // Readiness waits for the start-up pass over what is owed: after it, nothing more comes of the start.
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> RestAssured.get("/q/health/ready").then()
                .body("checks.find { it.name == 'proposer-owed-requests' }.status", org.hamcrest.Matchers.is("UP")));
        assertThat(proposalsCausedBy(haltedRequest)).as("a halted study's held request is dropped").isEmpty();
        assertThat(proposalsCausedBy(pausedRequest)).as("a paused study's stays held").isEmpty();

        // Resumed now: this instance never saw the request arrive, yet proposes it.
        StudyEvents paused = LeftBehind.study(stillPaused);
        publish(Topics.STUDIES, paused.control(new StudyResumed("bob")));
        assertThat(ordinals(awaitProposalsCausedBy(pausedRequest, 1))).containsExactly(2);
        assertThat(proposalsCausedBy(resumedRequest)).as("proposed once").hasSize(1);
    }

    /** Consumer groups of their own, so this application starts where the dead predecessor committed. */
    public static class AfterACrash implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LeftBehind.class));
        }
    }

    /**
     * Publishes, before the application starts, the topics as a crashed proposer left them, and commits its group
     * past them: it had consumed every request (holding those of paused studies) and died.
     */
    public static class LeftBehind implements QuarkusTestResourceLifecycleManager {

        /** The study with this id, rebuilt from the id alone (the test runs in another class loader). */
        static StudyEvents study(String id) {
            return StudyEvents.forId(id);
        }

        /** The request the predecessor held for the study: ordinal 2, one proposal, with an id derived from the study. */
        static EventEnvelope heldRequest(String id) {
            return study(id).requestWithId(UUID.nameUUIDFromBytes(("held:" + id).getBytes()), 2, 1);
        }

        @Override
        public Map<String, String> start() {
            String group = "proposer-restart-" + UUID.randomUUID();
            Map<String, String> studies = new HashMap<>();
            studies.put("test.left-behind.resumed-while-down", leaveBehind(new StudyResumed("bob")));
            studies.put("test.left-behind.still-paused", leaveBehind(null));
            studies.put("test.left-behind.halted-while-down", leaveBehind(new StudyHalted("bob", "wrong metric")));
            commitAtEnd(group, List.of(Topics.STRATEGY));
            studies.put("mp.messaging.incoming.strategy-in.group.id", group);
            return studies;
        }

        /** A paused study with its first batch and a held request; then {@code whileDown}, if any. */
        private static String leaveBehind(dev.seedloop.events.EventPayload whileDown) {
            StudyEvents study = StudyEvents.newStudy();
            publish(Topics.STUDIES, study.created);
            study.firstBatch(2).forEach(p -> publish(Topics.PROPOSALS, p));
            publish(Topics.STUDIES, study.control(new StudyPaused("alice", "maintenance")));
            publish(Topics.STRATEGY, heldRequest(study.id()));
            if (whileDown != null) {
                publish(Topics.STUDIES, study.control(whileDown));
            }
            return study.id();
        }

        private static void commitAtEnd(String group, List<String> topics) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    SharedInfrastructure.kafkaBootstrapServers()))) {
                Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(topics).allTopicNames().get().values()
                        .stream().flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
                Map<TopicPartition, OffsetAndMetadata> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())));
                admin.alterConsumerGroupOffsets(group, ends).all().get();
            } catch (Exception e) {
                throw new IllegalStateException("could not commit the crashed proposer's offsets", e);
            }
        }

        @Override
        public void stop() {
            // The shared broker outlives this test.
        }
    }
}
