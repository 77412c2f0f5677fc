package dev.seedloop.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The Kafka client settings of ADR 0014 are what every service configures, explicitly: each producer of the loop's
 * records waits for every in-sync replica, is idempotent and keeps at most 5 requests in flight (so a retry neither
 * duplicates nor reorders a study's events); each consumer of the loop's records commits only what it processed
 * (throttled), never gives up on a record that waits out an outage (the unprocessed-record check off) and stops rather
 * than commit past a record it could neither process nor park ({@code fail}). {@code ./seedloop chaos} showed the loop
 * holds under kill -9 with these; a channel that drifts from them fails here, naming the file and the setting.
 */
class KafkaClientSettingsTest {

    /** Requests and answers, not records of the loop (ADR 0014): their failures go back to the asker. */
    private static final Set<String> NOT_RECORDS = Set.of("outgoing.queries", "outgoing.query-replies",
            "incoming.queries-in", "incoming.journal");
    private static final Map<String, String> PRODUCER = Map.of("acks", "all", "enable.idempotence", "true",
            "max.in.flight.requests.per.connection", "5");
    private static final Map<String, String> CONSUMER = Map.of("commit-strategy", "throttled",
            "failure-strategy", "fail");

    @Test
    void everyChannelOfTheLoopsRecordsConfiguresTheSettingsOfAdr0014() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> checked = new TreeSet<>();
        ServiceTopicsTest.configurations().forEach((source, properties) -> problems.addAll(check(source, properties,
                checked)));
        assertThat(checked).as("channels checked: is the scan still reading the services' configuration?")
                .contains("outgoing.proposals-out", "outgoing.experiments-out", "outgoing.evaluations-out",
                        "outgoing.strategy-out", "outgoing.journal", "outgoing.dead-letters", "incoming.events-in",
                        "incoming.proposals-in", "incoming.strategy-in", "incoming.experiments-in");
        assertThat(problems).isEmpty();
    }

    @Test
    void aChannelThatDriftsIsNamed() {
        Properties properties = new Properties();
        properties.setProperty("mp.messaging.outgoing.events-out.connector", "smallrye-kafka");
        properties.setProperty("mp.messaging.outgoing.events-out.acks", "all");
        properties.setProperty("mp.messaging.outgoing.events-out.enable.idempotence", "true");
        properties.setProperty("mp.messaging.incoming.events-in.connector", "smallrye-kafka");
        properties.setProperty("mp.messaging.incoming.events-in.commit-strategy", "throttled");
        properties.setProperty("mp.messaging.incoming.events-in.failure-strategy", "ignore");
        properties.setProperty("mp.messaging.incoming.events-in.throttled.unprocessed-record-max-age.ms", "-1");

        List<String> problems = check("sample", properties, new TreeSet<>());

        assertThat(problems).containsExactlyInAnyOrder(
                "sample: outgoing.events-out max.in.flight.requests.per.connection is unset, not 5",
                "sample: incoming.events-in failure-strategy is ignore, not fail");
    }

    private static List<String> check(String source, Properties properties, Set<String> checked) {
        List<String> problems = new ArrayList<>();
        for (String channel : ServiceTopicsTest.channels(properties)) {
            String prefix = "mp.messaging." + channel + ".";
            if (!"smallrye-kafka".equals(properties.getProperty(prefix + "connector")) || NOT_RECORDS.contains(channel)) {
                continue;
            }
            checked.add(channel);
            Map<String, String> wanted = channel.startsWith("outgoing.") ? PRODUCER : CONSUMER;
            new TreeSet<>(wanted.keySet()).forEach(setting -> {
                String value = properties.getProperty(prefix + setting);
                if (!wanted.get(setting).equals(value)) {
                    problems.add(source + ": " + channel + " " + setting + " is " + (value == null ? "unset" : value)
                            + ", not " + wanted.get(setting));
                }
            });
            if (channel.startsWith("incoming.")) {
                String maxAge = properties.getProperty(prefix + "throttled.unprocessed-record-max-age.ms");
                if (!"-1".equals(maxAge) && !"0".equals(maxAge)) {
                    problems.add(source + ": " + channel + " throttled.unprocessed-record-max-age.ms is " + maxAge
                            + ", not off (-1 or 0)");
                }
            }
        }
        return problems;
    }
}
