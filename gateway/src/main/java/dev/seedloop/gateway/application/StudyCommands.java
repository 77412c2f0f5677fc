package dev.seedloop.gateway.application;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.gateway.domain.StudyCreation;
import dev.seedloop.gateway.domain.StudySpecDraft;
import dev.seedloop.messaging.OutboundEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** Turns accepted requests into events on the study topic; answers only once the broker has them. */
@ApplicationScoped
public class StudyCommands {

    private final SecureRandom random = new SecureRandom();

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    @Inject
    OutboundEvents outbound;

    @Inject
    @Channel("studies-out")
    MutinyEmitter<byte[]> studies;

    public Uni<EventEnvelope> create(String team, StudySpecDraft draft) {
        UUID eventId = EventIds.timeOrdered(clock, random);
        EventEnvelope created = StudyCreation.decide(draft, team, clock.instant(), eventId, specHash(draft),
                random.nextLong());
        return outbound.publish(studies, List.of(created)).replaceWith(created);
    }

    private String specHash(StudySpecDraft draft) {
        try {
            return ContentHash.sha256(json.writeValueAsBytes(draft));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed spec could not be written back as JSON", e);
        }
    }
}
