package dev.seedloop.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.Topics;

/** Follows one study's events on the topics until it ends, feeding a {@link StudyProgress}. */
final class StudyWatcher {

    private final String bootstrapServers;
    private final EventCodec codec = new EventCodec();

    StudyWatcher(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    StudyProgress watch(String studyId, Duration timeout, Consumer<StudyProgress> onChange) {
        StudyProgress progress = new StudyProgress();
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "seedloop-watch-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.copyOf(Topics.ALL_EVENT_TOPICS));
            while (!progress.finished() && Instant.now().isBefore(deadline)) {
                boolean changed = false;
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (studyId.equals(record.key()) && record.value() != null) {
                        try {
                            progress.apply(codec.decode(record.value()));
                            changed = true;
                        } catch (RuntimeException unreadable) {
                            // the services dead-letter it; a watcher just skips it
                        }
                    }
                }
                if (changed) {
                    onChange.accept(progress);
                }
            }
        }
        return progress;
    }
}
