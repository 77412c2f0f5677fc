package dev.seedloop.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The supervisor of a test stack: real Kafka (and PostgreSQL and Keycloak when a stand-in needs them) on the ports of
 * a plan file written by {@link TestStack}, and {@link StandInService}s instead of the packaged services.
 */
public final class StandInStack {

    private StandInStack() {
    }

    public static void main(String[] args) throws Exception {
        new Supervisor(plan(Path.of(args[0]))).run();
    }

    static StackPlan plan(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path home = Path.of(p.getProperty("home"));
        StackLayout layout = new StackLayout(Path.of(p.getProperty("root")), home, home.resolve("no-distribution"));
        String classpath = System.getProperty("java.class.path");
        List<StackLayout.ServiceSpec> services = new ArrayList<>();
        for (String name : p.getProperty("services").split(",")) {
            String prefix = "service." + name + ".";
            int management = Integer.parseInt(p.getProperty(prefix + "management", "0"));
            List<String> java = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dstandin.name=" + name,
                    "-Dstandin.dir=" + layout.home().resolve("standins"),
                    "-Dstandin.stopWorkMillis=" + p.getProperty(prefix + "stopWorkMillis", "0"),
                    "-Dstandin.managementInterface=" + (management > 0),
                    "-cp", classpath, StandInService.class.getName());
            services.add(new StackLayout.ServiceSpec(name, Integer.parseInt(p.getProperty(prefix + "port")), management,
                    Boolean.parseBoolean(p.getProperty(prefix + "database")),
                    Boolean.parseBoolean(p.getProperty(prefix + "keycloak")), java, layout.home()));
        }
        Backoff backoff = new Backoff(Duration.ofMillis(Long.parseLong(p.getProperty("backoff.initialMillis"))),
                Duration.ofMillis(Long.parseLong(p.getProperty("backoff.maxMillis"))),
                Duration.ofMillis(Long.parseLong(p.getProperty("backoff.stableAfterMillis"))));
        return new StackPlan(layout, Integer.parseInt(p.getProperty("postgres.port")),
                Integer.parseInt(p.getProperty("kafka.port")), Integer.parseInt(p.getProperty("keycloak.port")), services,
                backoff, Duration.ofSeconds(20));
    }
}
