package dev.seedloop.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.infra.FreePorts;

/**
 * What every started service is told: listen on 127.0.0.1 only (Quarkus listens on every interface unless told).
 * The stand-in reads the same variables Quarkus does, with Quarkus's default.
 */
class ServiceLauncherTest {

    @TempDir
    Path dir;

    @Test
    void aStartedServiceDoesNotAcceptConnectionsBeyondLoopback() throws Exception {
        int port = FreePorts.pick();
        Process service = ServiceLauncher.start(standIn("bound", false), dir, port, 0, Map.of(), dir.resolve("bound.log"));
        try {
            TestStack.await("the stand-in listening", Duration.ofSeconds(30), () -> accepts("127.0.0.1", port));

            assertThat(accepts("127.0.0.2", port)).as("answers on 127.0.0.2:" + port).isFalse();
        } finally {
            service.destroyForcibly().waitFor();
        }
    }

    @Test
    void aServiceWithAManagementInterfaceIsReadyWhenItsHealthThereSaysSo() throws Exception {
        int port = FreePorts.pick();
        int management = FreePorts.pick();
        Process service = ServiceLauncher.start(standIn("managed", true), dir, port, management, Map.of(),
                dir.resolve("managed.log"));
        try {
            ServiceLauncher.awaitReady("managed", service, management, Duration.ofSeconds(30), dir.resolve("managed.log"));

            assertThat(status(ServiceLauncher.readinessUrl(port))).as("health is not on the HTTP port").isEqualTo(404);
            assertThat(accepts("127.0.0.2", management)).as("management answers on 127.0.0.2").isFalse();
        } finally {
            service.destroyForcibly().waitFor();
        }
    }

    @Test
    void waitingForAServiceThatExitsFailsAtOnceWithItsLog() throws Exception {
        Process service = ServiceLauncher.start(List.of("-Dstandin.name=x", "-cp", "/nonexistent", "NoSuchMain"), dir,
                FreePorts.pick(), 0, Map.of(), dir.resolve("x.log"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServiceLauncher.awaitReady("x", service,
                        FreePorts.pick(), Duration.ofSeconds(60), dir.resolve("x.log")))
                .hasMessageContaining("x exited with 1").hasMessageContaining("x.log");
    }

    private List<String> standIn(String name, boolean managementInterface) {
        return List.of("-Xmx64m", "-Dstandin.name=" + name, "-Dstandin.dir=" + dir,
                "-Dstandin.managementInterface=" + managementInterface,
                "-cp", System.getProperty("java.class.path"), StandInService.class.getName());
    }

    private static int status(String url) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static boolean accepts(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), 1_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
