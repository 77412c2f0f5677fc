package dev.seedloop.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.seedloop.events.Topics;

/**
 * A small stand-in for a Seedloop service, run by the supervisor like the real ones: it reads the same environment
 * (listening on {@code QUARKUS_HTTP_HOST}, every interface by default as Quarkus does; health on the management port
 * when it has a management interface), is ready once its Kafka consumer joined its group, and when told to stop it
 * first works for a while (like a service finishing what it does) and then closes its consumer, checking that the
 * broker, Keycloak and PostgreSQL it was given are still there. It writes what happened to its journal
 * ({@code <dir>/<name>.journal}); a file {@code <name>.hold} keeps its readiness at 503.
 */
public final class StandInService {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path dir;
    private final Map<String, String> env = System.getenv();
    private final CountDownLatch joined = new CountDownLatch(1);
    private volatile boolean running = true;

    private StandInService(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        new StandInService(System.getProperty("standin.name"), Path.of(System.getProperty("standin.dir"))).run();
    }

    private void run() throws Exception {
        Files.createDirectories(dir);
        // Before anything can answer: whoever sees it ready finds this start in the journal.
        journal("started pid=" + ProcessHandle.current().pid());
        String host = env.getOrDefault("QUARKUS_HTTP_HOST", "0.0.0.0");
        HttpServer http = HttpServer.create(new InetSocketAddress(host, Integer.parseInt(env.get("QUARKUS_HTTP_PORT"))), 0);
        http.createContext("/", exchange -> {
            boolean root = exchange.getRequestURI().getPath().equals("/");
            respond(exchange, root ? 200 : 404, root ? name : "not here");
        });
        HttpServer health = http;
        if (Boolean.getBoolean("standin.managementInterface")) {
            health = HttpServer.create(new InetSocketAddress(env.getOrDefault("QUARKUS_MANAGEMENT_HOST", "0.0.0.0"),
                    Integer.parseInt(env.getOrDefault("QUARKUS_MANAGEMENT_PORT", "9000"))), 0);
            health.start();
        }
        health.createContext("/q/health/ready", exchange -> {
            boolean ready = joined.getCount() == 0 && !Files.exists(dir.resolve(name + ".hold"));
            respond(exchange, ready ? 200 : 503, ready ? "UP" : "DOWN");
        });
        http.start();

        Thread consumer = new Thread(this::consume, "standin-consumer");
        if (env.containsKey("KAFKA_BOOTSTRAP_SERVERS")) {
            consumer.start();
        } else {
            joined.countDown();
        }
        HttpServer healthServer = health;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(consumer, http, healthServer), "standin-stop"));
    }

    private void consume() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP_SERVERS"),
                ConsumerConfig.GROUP_ID_CONFIG, group(),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                // A stand-in killed with SIGKILL never leaves its group: its next start joins only once the
                // broker gave up on the dead member. The broker's minimum instead of the client's 45 s default.
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.STUDIES), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    joined.countDown();
                }
            });
            try {
                while (running) {
                    consumer.poll(Duration.ofMillis(200));
                }
            } catch (WakeupException stopping) {
                // close below leaves the group
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }
    }

    private void stop(Thread consumer, HttpServer http, HttpServer health) {
        journal("stopping");
        try {
            // A service finishing its work before it closes its consumers.
            Thread.sleep(Long.getLong("standin.stopWorkMillis", 0));
            running = false;
            if (consumer.isAlive()) {
                consumer.join(TimeUnit.SECONDS.toMillis(15));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (env.containsKey("KAFKA_BOOTSTRAP_SERVERS")) {
            journal(checkGroupLeft());
        }
        if (env.containsKey("QUARKUS_OIDC_AUTH_SERVER_URL")) {
            journal(checkKeycloak(env.get("QUARKUS_OIDC_AUTH_SERVER_URL")));
        }
        if (env.containsKey("QUARKUS_DATASOURCE_JDBC_URL")) {
            journal(checkPostgres());
        }
        http.stop(0);
        if (health != http) {
            health.stop(0);
        }
        journal("stopped");
    }

    private String checkGroupLeft() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP_SERVERS"),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(group())).all().get().get(group());
            return group.members().isEmpty() ? "kafka: left its group" : "kafka: still " + group.members().size()
                    + " member(s) in its group";
        } catch (Exception e) {
            return "kafka: unreachable while stopping (" + e + ")";
        }
    }

    private static String checkKeycloak(String issuer) {
        try {
            int status = HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? "keycloak: answered" : "keycloak: HTTP " + status + " while stopping";
        } catch (Exception e) {
            return "keycloak: unreachable while stopping (" + e + ")";
        }
    }

    private String checkPostgres() {
        try (Connection connection = DriverManager.getConnection(env.get("QUARKUS_DATASOURCE_JDBC_URL"),
                env.get("QUARKUS_DATASOURCE_USERNAME"), env.get("QUARKUS_DATASOURCE_PASSWORD"))) {
            connection.createStatement().execute("select 1");
            return "postgres: answered";
        } catch (Exception e) {
            return "postgres: unreachable while stopping (" + e + ")";
        }
    }

    private String group() {
        return "standin-" + name;
    }

    private synchronized void journal(String line) {
        try {
            Files.writeString(dir.resolve(name + ".journal"), Instant.now() + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
