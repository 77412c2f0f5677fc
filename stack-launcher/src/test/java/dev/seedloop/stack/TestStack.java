package dev.seedloop.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import dev.seedloop.infra.FreePorts;

/**
 * A stack of the real supervisor on free ports in a temporary home, with {@link StandInService}s, driven through the
 * launcher's own commands ({@code up}, {@code status}, {@code restart}, {@code down}) as {@code ./seedloop} runs them.
 */
final class TestStack implements AutoCloseable {

    /** One stand-in service of the stack. */
    record StandIn(String name, boolean database, boolean keycloak, boolean managementInterface, long stopWorkMillis) {
        static StandIn plain(String name) {
            return new StandIn(name, false, false, false, 0);
        }
    }

    /** What a command printed and returned. */
    record Result(int exit, String out) {
    }

    private final StackLayout layout;
    private final Path planFile;
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    private TestStack(StackLayout layout, Path planFile) {
        this.layout = layout;
        this.planFile = planFile;
    }

    static TestStack create(Path home, List<StandIn> services, Duration backoffInitial) throws IOException {
        Path root = repositoryRoot();
        // Stand-ins run from this test classpath: the stack has no distribution to read.
        StackLayout layout = new StackLayout(root, home, home.resolve("no-distribution"));
        Properties plan = new Properties();
        plan.setProperty("root", root.toString());
        plan.setProperty("home", home.toString());
        plan.setProperty("kafka.port", Integer.toString(FreePorts.pick()));
        plan.setProperty("postgres.port", Integer.toString(FreePorts.pick()));
        plan.setProperty("keycloak.port", Integer.toString(FreePorts.pick()));
        plan.setProperty("backoff.initialMillis", Long.toString(backoffInitial.toMillis()));
        plan.setProperty("backoff.maxMillis", Long.toString(backoffInitial.toMillis() * 8));
        plan.setProperty("backoff.stableAfterMillis", Long.toString(Duration.ofMinutes(5).toMillis()));
        plan.setProperty("services", String.join(",", services.stream().map(StandIn::name).toList()));
        TestStack stack = new TestStack(layout, home.resolve("plan.properties"));
        for (StandIn service : services) {
            String prefix = "service." + service.name() + ".";
            int port = FreePorts.pick();
            stack.ports.put(service.name(), port);
            plan.setProperty(prefix + "port", Integer.toString(port));
            plan.setProperty(prefix + "management", Integer.toString(service.managementInterface() ? FreePorts.pick() : 0));
            plan.setProperty(prefix + "database", Boolean.toString(service.database()));
            plan.setProperty(prefix + "keycloak", Boolean.toString(service.keycloak()));
            plan.setProperty(prefix + "stopWorkMillis", Long.toString(service.stopWorkMillis()));
        }
        Files.createDirectories(home);
        try (OutputStream out = Files.newOutputStream(stack.planFile)) {
            plan.store(out, "test stack");
        }
        return stack;
    }

    StackLayout layout() {
        return layout;
    }

    int port(String service) {
        return ports.get(service);
    }

    StackPlan plan() {
        return StandInStack.plan(planFile);
    }

    /** Runs a launcher command ({@code up}, {@code status}, ...) as {@code ./seedloop} would, capturing its output. */
    Result run(String... args) throws Exception {
        return run(new ByteArrayOutputStream(), args);
    }

    /** The same, writing the output to {@code sink} as it comes, so another thread can watch it. */
    Result run(ByteArrayOutputStream sink, String... args) throws Exception {
        PrintStream stream = new PrintStream(sink, true, StandardCharsets.UTF_8);
        SeedloopLauncher launcher = new SeedloopLauncher(layout, stream, stream,
                List.of(StandInStack.class.getName(), planFile.toString()));
        int exit = launcher.run(args);
        return new Result(exit, sink.toString(StandardCharsets.UTF_8));
    }

    /** The stand-in's journal: what it did and found, one line each. */
    List<String> journal(String service) {
        Path file = layout.home().resolve("standins").resolve(service + ".journal");
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pids of every start of the stand-in, in order. */
    List<Long> starts(String service) {
        List<Long> pids = new ArrayList<>();
        for (String line : journal(service)) {
            int at = line.indexOf("started pid=");
            if (at >= 0) {
                pids.add(Long.parseLong(line.substring(at + "started pid=".length()).trim()));
            }
        }
        return pids;
    }

    /** Keeps the stand-in's readiness at 503 until {@link #release}. */
    void hold(String service) throws IOException {
        Files.createDirectories(layout.home().resolve("standins"));
        Files.writeString(layout.home().resolve("standins").resolve(service + ".hold"), "");
    }

    void release(String service) throws IOException {
        Files.deleteIfExists(layout.home().resolve("standins").resolve(service + ".hold"));
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Stops whatever is left, so a failed test does not leave processes on the machine. */
    @Override
    public void close() throws Exception {
        run("down");
    }

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("seedloop")) && Files.isDirectory(dir.resolve("stack-launcher"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No repository root above " + Path.of("").toAbsolutePath());
    }
}
