package dev.seedloop.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.infra.KafkaBroker;

/**
 * {@code down} stops the services first, each with the time to close its consumers, while Kafka, Keycloak and
 * PostgreSQL still answer; then the infrastructure. Real infrastructure, stand-in services that take a while to stop
 * and check what they need at the moment they close.
 */
class StackShutdownTest {

    @TempDir
    Path home;

    @Test
    void downStopsEveryServiceWhileItsInfrastructureStillAnswersAndLeavesNoDeadGroupMembers() throws Exception {
        // Started in this order, stopped in the reverse: the Keycloak user is the last to stop.
        List<TestStack.StandIn> services = List.of(
                new TestStack.StandIn("auth-user", false, true, false, 2_000),
                new TestStack.StandIn("db-user", true, false, false, 2_000),
                new TestStack.StandIn("plain", false, false, false, 2_000));
        int kafkaPort;
        try (TestStack stack = TestStack.create(home, services, Duration.ofSeconds(1))) {
            kafkaPort = stack.plan().kafkaPort();
            TestStack.Result up = stack.run("up");
            assertThat(up.exit()).as(up.out()).isZero();

            TestStack.Result down = stack.run("down");
            assertThat(down.exit()).as(down.out()).isZero();

            assertThat(stack.journal("plain")).as("plain").anyMatch(l -> l.endsWith("kafka: left its group"))
                    .anyMatch(l -> l.endsWith("stopped"));
            assertThat(stack.journal("db-user")).as("db-user").anyMatch(l -> l.endsWith("kafka: left its group"))
                    .anyMatch(l -> l.endsWith("postgres: answered"));
            assertThat(stack.journal("auth-user")).as("auth-user").anyMatch(l -> l.endsWith("kafka: left its group"))
                    .anyMatch(l -> l.endsWith("keycloak: answered"));

            // The supervisor's record of the same: each asked to stop only once the one before it was gone.
            StackStatus status = StackStatus.read(stack.layout().statusFile()).orElseThrow();
            List<StackStatus.ProcessStatus> stops = status.processes().stream()
                    .sorted(Comparator.comparing(StackStatus.ProcessStatus::stopRequestedAt)).toList();
            assertThat(stops).extracting(StackStatus.ProcessStatus::name)
                    .containsExactly("plain", "db-user", "auth-user", "keycloak", "kafka", "postgresql");
            for (int i = 1; i < stops.size(); i++) {
                assertThat(stops.get(i).stopRequestedAt()).as(stops.get(i).name())
                        .isAfterOrEqualTo(stops.get(i - 1).stoppedAt());
            }
            assertThat(stops).allSatisfy(p -> {
                assertThat(p.state()).isEqualTo(StackStatus.State.STOPPED);
                assertThat(p.exitedAt()).as(p.name() + " exited").isNotNull();
            });
        }

        // What the next `up` finds: no member of any group waiting for its session to time out.
        try (KafkaBroker broker = KafkaBroker.start(home.resolve("data/kafka"), kafkaPort);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(
                    List.of("standin-auth-user", "standin-db-user", "standin-plain")).all().get();
            groups.forEach((group, description) -> assertThat(description.members()).as(group).isEmpty());
        }
        assertThat(Files.exists(home.resolve("run/supervisor.pid"))).isFalse();
    }
}
