package dev.seedloop.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in KRaft combined mode (broker and controller in one node), running
 * in a child JVM started from Kafka's own jars.
 *
 * <p>The jars come from the classpath published by {@code kafka-broker-runtime}, so the broker
 * uses its own Kafka version regardless of which kafka-clients the caller has. Everything the
 * broker writes lives under the data directory, which survives {@link #close()}: starting again on
 * the same directory keeps the topics and records.
 *
 * <p>Before {@link #start} returns, the broker holds every topic of the {@link dev.seedloop.events.TopicCatalogue}
 * with the catalogue's retention ({@link CatalogueTopics}); it does not create topics on first use, so a topic missing
 * from the catalogue fails where it is used instead of quietly getting broker defaults (ADR 0013).
 *
 * <p>A JVM that exits without {@link #close()} still stops the broker ({@link ExitSafetyNet}); an owner that stops
 * it in its own order calls {@link #deferExitStop(Duration)} first.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    private static final String CLASSPATH_RESOURCE = "dev/seedloop/kafka/broker.classpath";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** Remembers the controller port so a restart on the same directory keeps the same quorum address. */
    private static final String STATE_FILE = "seedloop-broker.properties";

    /**
     * Identifies our broker JVMs on their command line. It must come early: the kernel truncates
     * the command line Java reports to 4096 bytes, and the classpath alone is longer.
     */
    private static final String ROLE_MARKER = "-Dseedloop.role=kafka-broker";

    /** Light on memory and on the two cores it shares with builds and services; startup speed matters most. */
    private static final List<String> JVM_FLAGS = List.of(
            "-Xms128m", "-Xmx512m",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
            "-Djava.awt.headless=true");

    private final Process process;
    private final int port;
    private final Path dataDir;
    private final ExitSafetyNet exitSafetyNet;

    private KafkaBroker(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.exitSafetyNet = new ExitSafetyNet("kafka-broker",
                () -> Readiness.terminate(process.toHandle(), STOP_GRACE));
    }

    /**
     * Starts a broker whose data lives under {@code dataDir}, formatting the storage on first use.
     * Blocks until the broker answers an admin request.
     *
     * @param port the client (PLAINTEXT) port, or 0 to pick a free one
     */
    public static KafkaBroker start(Path dataDir, int port) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            Path absDir = dataDir.toAbsolutePath();
            Path pidFile = absDir.resolve("broker.pid");
            // A broker orphaned by a killed JVM would hold the log-dir lock and the ports.
            Readiness.stopOrphan(pidFile, ROLE_MARKER, STOP_GRACE);
            int clientPort = port == 0 ? FreePorts.pick() : port;
            int controllerPort = controllerPort(absDir, clientPort);
            Path serverProperties = writeServerProperties(absDir, clientPort, controllerPort);
            Path log4j = writeLog4jConfig(absDir);
            Path brokerLog = absDir.resolve("broker.log");
            Readiness.rotateIfLarger(brokerLog, 10L * 1024 * 1024);
            String classpath = brokerClasspath();
            // Otherwise the readiness probe could be answered by whatever already listens there.
            for (int p : new int[] {clientPort, controllerPort}) {
                if (!FreePorts.isFree(p)) {
                    throw new IllegalStateException("Cannot start the Kafka broker in " + absDir + ": port " + p
                            + " on 127.0.0.1 is already in use");
                }
            }

            if (!Files.exists(absDir.resolve("logs").resolve("meta.properties"))) {
                format(absDir, classpath, log4j, serverProperties, brokerLog);
            }

            List<String> command = javaCommand(classpath, log4j);
            command.add("kafka.Kafka");
            command.add(serverProperties.toString());
            Process process = new ProcessBuilder(command)
                    .directory(absDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
                    .start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            KafkaBroker broker = new KafkaBroker(process, clientPort, absDir);
            try {
                broker.awaitReady(brokerLog);
                CatalogueTopics.apply(broker.bootstrapServers());
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            LOG.info("Kafka broker pid {} ready on {} in {} ms (data in {})", process.pid(), broker.bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), absDir);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the Kafka broker in " + dataDir, e);
        }
    }

    /** The {@code bootstrap.servers} value for clients: {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The broker JVM's process id. */
    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Leaves the stop at JVM exit to the caller, who closes this broker after the processes that use it (consumers
     * that leave their groups need a broker to tell). If the caller has not closed it within {@code ownersTime} of the
     * JVM starting to exit, the broker is stopped anyway.
     */
    public void deferExitStop(Duration ownersTime) {
        exitSafetyNet.deferTo(ownersTime);
    }

    /** Stops the broker (gracefully, then forcibly after 15 s); the data directory is kept. */
    @Override
    public void close() {
        Readiness.terminate(process.toHandle(), STOP_GRACE);
        exitSafetyNet.closed();
    }

    private void awaitReady(Path brokerLog) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        // Wait for the listener first: an AdminClient polling a closed port logs a line per retry.
        while (!Readiness.accepts(port)) {
            checkAlive(brokerLog);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka broker not listening on " + bootstrapServers() + " after "
                        + START_TIMEOUT.toSeconds() + " s. Log tail (" + brokerLog + "):\n"
                        + Readiness.tail(brokerLog, 4000));
            }
            Readiness.pause(100);
        }
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                checkAlive(brokerLog);
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000)).nodes().get();
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker not ready on " + bootstrapServers() + " after "
                                + START_TIMEOUT.toSeconds() + " s. Log tail (" + brokerLog + "):\n"
                                + Readiness.tail(brokerLog, 4000), notYet);
                    }
                    Readiness.pause(200);
                }
            }
        }
    }

    private void checkAlive(Path brokerLog) {
        if (!process.isAlive()) {
            throw new IllegalStateException("Kafka broker exited with code " + process.exitValue()
                    + " before becoming ready. Log tail (" + brokerLog + "):\n" + Readiness.tail(brokerLog, 4000));
        }
    }

    private static void format(Path dataDir, String classpath, Path log4j, Path serverProperties, Path brokerLog)
            throws IOException {
        List<String> command = javaCommand(classpath, log4j);
        command.addAll(List.of("kafka.tools.StorageTool", "format",
                "--cluster-id", Uuid.randomUuid().toString(),
                "--config", serverProperties.toString(),
                "--ignore-formatted"));
        Process format = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
                .start();
        try {
            if (!format.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                Readiness.terminate(format.toHandle(), Duration.ofSeconds(5));
                throw new IllegalStateException("Kafka storage format timed out. Log tail (" + brokerLog + "):\n"
                        + Readiness.tail(brokerLog, 4000));
            }
        } catch (InterruptedException e) {
            Readiness.terminate(format.toHandle(), Duration.ofSeconds(5));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting Kafka storage", e);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("Kafka storage format failed with code " + format.exitValue()
                    + ". Log tail (" + brokerLog + "):\n" + Readiness.tail(brokerLog, 4000));
        }
    }

    private static List<String> javaCommand(String classpath, Path log4j) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(ROLE_MARKER);
        command.addAll(JVM_FLAGS);
        if (Runtime.version().feature() >= 24) {
            // Kafka still uses sun.misc.Unsafe; without this every start prints a deprecation banner.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-Dlog4j2.configurationFile=" + log4j);
        command.add("-cp");
        command.add(classpath);
        return command;
    }

    private static int controllerPort(Path dataDir, int clientPort) throws IOException {
        Path state = dataDir.resolve(STATE_FILE);
        Properties props = new Properties();
        if (Files.exists(state)) {
            try (InputStream in = Files.newInputStream(state)) {
                props.load(in);
            }
            int previous = Integer.parseInt(props.getProperty("controller.port", "0"));
            if (previous > 0 && previous != clientPort && FreePorts.isFree(previous)) {
                return previous;
            }
        }
        int picked;
        do {
            picked = FreePorts.pick();
        } while (picked == clientPort);
        props.setProperty("controller.port", Integer.toString(picked));
        try (Writer out = Files.newBufferedWriter(state, StandardCharsets.UTF_8)) {
            props.store(out, "Seedloop local broker state");
        }
        return picked;
    }

    private static Path writeServerProperties(Path dataDir, int port, int controllerPort) throws IOException {
        String config = """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                inter.broker.listener.name=PLAINTEXT
                controller.listener.names=CONTROLLER
                log.dirs=%3$s
                num.partitions=3
                # Every catalogue topic carries its own retention (ADR 0013). The default only covers what has none:
                # a topic from a data directory older than the catalogue until start() sets it, which must not be
                # trimmed meanwhile (it may be part of the record the store is restored from, ADR 0012).
                log.retention.ms=-1
                default.replication.factor=1
                # Topics come from the catalogue only: one created by its first use would get broker defaults.
                auto.create.topics.enable=false
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=5
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=5
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                # Single node on a small shared machine: few threads, small buffers.
                num.network.threads=2
                num.io.threads=2
                background.threads=2
                num.recovery.threads.per.data.dir=1
                log.cleaner.threads=1
                log.cleaner.dedupe.buffer.size=8388608
                socket.send.buffer.bytes=102400
                socket.receive.buffer.bytes=102400
                """.formatted(port, controllerPort, dataDir.resolve("logs"));
        Path file = dataDir.resolve("server.properties");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return file;
    }

    private static Path writeLog4jConfig(Path dataDir) throws IOException {
        // Terse on purpose: the broker log is for diagnosing failures, not for reading routinely.
        String config = """
                status = warn
                appender.out.type = Console
                appender.out.name = OUT
                appender.out.layout.type = PatternLayout
                appender.out.layout.pattern = [%d] %p %m (%c)%n
                rootLogger.level = WARN
                rootLogger.appenderRef.out.ref = OUT
                logger.started.name = kafka.server.KafkaRaftServer
                logger.started.level = INFO
                """;
        Path file = dataDir.resolve("log4j2.properties");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return file;
    }

    private static String brokerClasspath() throws IOException {
        String raw;
        try (InputStream in = KafkaBroker.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is not on the classpath; "
                        + "add the dev.seedloop:kafka-broker-runtime dependency");
            }
            raw = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        List<String> entries = List.of(raw.split(java.io.File.pathSeparator));
        for (String entry : entries) {
            if (!Files.exists(Path.of(entry))) {
                throw new IllegalStateException("Kafka broker jar " + entry + " is missing; the classpath in "
                        + CLASSPATH_RESOURCE + " was built on another machine or the local Maven repository changed. "
                        + "Rebuild kafka-broker-runtime (./mvnw -pl kafka-broker-runtime install).");
            }
        }
        return raw;
    }
}
