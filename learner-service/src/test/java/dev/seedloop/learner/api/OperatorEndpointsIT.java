package dev.seedloop.learner.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.infra.FreePorts;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;

/**
 * The packaged learner, in its production profile: its HTTP server serves nothing but operator endpoints (rebuild,
 * restore, a study's state), so it listens on loopback only; its health moves to the management interface, which
 * listens on every interface so that Kubernetes probes reach it. On Linux the whole of 127.0.0.0/8 is loopback: a
 * server bound to 0.0.0.0 accepts 127.0.0.2, one bound to 127.0.0.1 refuses it.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(OperatorEndpointsIT.ManagementPort.class)
class OperatorEndpointsIT {

    /**
     * A free port for the management interface, handed to the packaged learner as {@code quarkus.management.port};
     * and no restore at start: on the empty store of this test the learner would first read every topic of the broker
     * to the end (tens of seconds on a loaded host) for nothing this test looks at. Restoring at start is
     * {@code StoreRestoreTest}'s subject.
     */
    public static class ManagementPort implements QuarkusTestResourceLifecycleManager {

        static volatile int port;

        @Override
        public Map<String, String> start() {
            port = FreePorts.pick();
            return Map.of("quarkus.management.port", Integer.toString(port),
                    "seedloop.learner.restore.on-empty-store", "false");
        }

        @Override
        public void stop() {
            // Nothing was started.
        }
    }

    @Test
    void operatorEndpointsAnswerOnLoopbackOnlyAndReadinessOnTheManagementInterface() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        int http = RestAssured.port;

        given().baseUri("http://127.0.0.1").port(http).get("/internal/studies/no-such-study/state")
                .then().statusCode(404);
        assertThatThrownBy(() -> connect("127.0.0.2", http)).as("the operator port on another loopback address")
                .isInstanceOf(ConnectException.class);

        given().baseUri("http://127.0.0.1").port(ManagementPort.port).get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"));
        assertThat(reachable("127.0.0.2", ManagementPort.port)).as("probes reach the management interface from anywhere")
                .isTrue();
        given().baseUri("http://127.0.0.1").port(http).get("/q/health/ready").then().statusCode(404);
        // Prometheus scrapes where the probes go, and finds the consumers' lag there (ADR 0028).
        given().baseUri("http://127.0.0.1").port(ManagementPort.port).get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("kafka_consumer_fetch_manager_records_lag_max{"));
        given().baseUri("http://127.0.0.1").port(http).get("/q/metrics").then().statusCode(404);
    }

    private static void connect(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
        }
    }

    private static boolean reachable(String host, int port) {
        try {
            connect(host, port);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
