package dev.seedloop.proposer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.messaging.DeadLetters;
import dev.seedloop.testsupport.KafkaTopics;

/** Events of one study as the gateway, the learner and a past proposer would have published them, and what to look for. */
final class StudyEvents {

    static final EventCodec CODEC = new EventCodec();
    static final Duration WAIT = Duration.ofSeconds(30);

    final EventEnvelope created;

    private StudyEvents(EventEnvelope created) {
        this.created = created;
    }

    /** A new study shaped like the golden sample (evolutionary, parallelism 2). */
    static StudyEvents newStudy() {
        return new StudyEvents(SampleEvents.studyCreated(SampleEvents.newStudyId()));
    }

    /** A new study whose spec names a strategy the proposer does not have: proposing for it always fails. */
    static StudyEvents newStudyWithStrategy(String strategy) {
        EventEnvelope sample = SampleEvents.studyCreated(SampleEvents.newStudyId());
        StudyCreated s = (StudyCreated) sample.payload();
        StudyCreated spec = new StudyCreated(s.name(), s.objective(), s.searchSpace(), s.budget(), strategy, s.seed(),
                s.specSha256(), s.workspace(), s.experiment(), s.validation(), s.protectedPaths(), s.strategyOptions(),
                s.promotion(), s.createdBy(), s.origin());
        return new StudyEvents(new EventEnvelope(sample.eventId(), sample.studyId(), sample.team(), sample.occurredAt(),
                null, sample.correlationId(), sample.producer(), spec));
    }

    /** The study {@link #newStudy()} made under {@code id}: its ids derive from the study id alone. */
    static StudyEvents forId(String id) {
        return new StudyEvents(SampleEvents.studyCreated(id));
    }

    /**
     * A new study whose records on {@code topic} share a partition with {@code studyId}'s, so the proposer handles them
     * after whatever it was sent of that study before: a positive marker that those records were handled.
     */
    static StudyEvents newStudyOnSamePartition(String studyId, String topic) {
        int partitions;
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                dev.seedloop.testsupport.SharedInfrastructure.kafkaBootstrapServers()))) {
            partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException("could not describe " + topic, e);
        }
        int target = partition(studyId, partitions);
        while (true) {
            StudyEvents candidate = newStudy();
            if (partition(candidate.id(), partitions) == target) {
                return candidate;
            }
        }
    }

    /** Where the producer's default partitioner puts a record with this key. */
    private static int partition(String key, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    String id() {
        return created.studyId();
    }

    /** An operator's control event (pause, resume, halt), as the gateway publishes it. */
    EventEnvelope control(EventPayload payload) {
        return new EventEnvelope(UUID.randomUUID(), id(), created.team(), created.occurredAt(), null,
                created.correlationId(), "gateway", payload);
    }

    /** The learner's first request (ADR 0021): the study's first batch, caused by its creation. */
    EventEnvelope firstRequest(int count) {
        return created.caused(UUID.randomUUID(), created.occurredAt(), "learner-service",
                new StrategyUpdated(0, count, Map.of(), "first batch", 0, List.of()));
    }

    /** The learner asking for {@code count} proposals from ordinal {@code from}. */
    EventEnvelope request(int from, int count) {
        StrategyUpdated request = new StrategyUpdated(from, count, Map.of(), "test", from, List.of());
        return new EventEnvelope(UUID.randomUUID(), id(), created.team(), created.occurredAt(), UUID.randomUUID(),
                created.correlationId(), "learner-service", request);
    }

    /** As {@link #request}, with a given event id (to find it again from another class loader). */
    EventEnvelope requestWithId(UUID eventId, int from, int count) {
        StrategyUpdated request = new StrategyUpdated(from, count, Map.of(), "test", from, List.of());
        return new EventEnvelope(eventId, id(), created.team(), created.occurredAt(), null, created.correlationId(),
                "learner-service", request);
    }

    /** The first batch as the proposer made it before (ids derived from the study and the ordinal). */
    List<EventEnvelope> firstBatch(int size) {
        return IntStream.range(0, size).mapToObj(ordinal -> {
            UUID proposalId = EventIds.derived(created.correlationId(), "proposal:" + ordinal);
            return new EventEnvelope(EventIds.derived(proposalId, "event"), id(), created.team(), created.occurredAt(),
                    created.eventId(), created.correlationId(), "proposer-service", new ProposalCreated(proposalId,
                            ordinal, "evolutionary", "sobol", Map.of("learning_rate", 0.01), List.of()));
        }).toList();
    }

    static void publish(String topic, EventEnvelope event) {
        KafkaTopics.produce(topic, event.studyId(), CODEC.encode(event));
    }

    /** Waits for {@code count} proposals caused by {@code cause}. */
    static List<EventEnvelope> awaitProposalsCausedBy(EventEnvelope cause, int count) {
        return KafkaTopics.awaitRecords(Topics.PROPOSALS, r -> cause.studyId().equals(r.key())
                        && cause.eventId().equals(CODEC.decode(r.value()).causationId()), count, WAIT)
                .stream().map(r -> CODEC.decode(r.value())).toList();
    }

    /** The proposals caused by {@code cause} on the topic now. */
    static List<EventEnvelope> proposalsCausedBy(EventEnvelope cause) {
        return KafkaTopics.readAll(Topics.PROPOSALS, r -> cause.studyId().equals(r.key())
                && cause.eventId().equals(CODEC.decode(r.value()).causationId()))
                .stream().map(r -> CODEC.decode(r.value())).toList();
    }

    static List<Integer> ordinals(List<EventEnvelope> proposals) {
        return proposals.stream().map(p -> ((ProposalCreated) p.payload()).ordinal()).toList();
    }

    /** Waits for the proposer to park {@code parked} on the dead-letter topic. */
    static ConsumerRecord<String, byte[]> awaitDeadLetter(EventEnvelope parked) {
        return KafkaTopics.awaitRecords(Topics.DEAD_LETTERS, r -> parked.studyId().equals(r.key())
                && "proposer-service".equals(header(r, DeadLetters.CONSUMER))
                && java.util.Arrays.equals(CODEC.encode(parked), r.value()), 1, WAIT).getFirst();
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
