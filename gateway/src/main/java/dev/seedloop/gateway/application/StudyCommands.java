package dev.seedloop.gateway.application;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;

import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.gateway.domain.SpecViolations;
import dev.seedloop.gateway.domain.StudyCreation;
import dev.seedloop.gateway.domain.StudySpecDraft;
import dev.seedloop.gateway.domain.StudySpecValidator;
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
    SpecReader specs;

    @Inject
    OutboundEvents outbound;

    @Inject
    @Channel("studies-out")
    MutinyEmitter<byte[]> studies;

    /**
     * Reads, validates and publishes a new study. Blocking (it hashes the workspace): call it from a
     * worker thread.
     *
     * @throws SpecViolations listing every problem; nothing is published then
     */
    public Uni<EventEnvelope> create(String team, String specText) {
        StudySpecDraft draft = specs.read(specText);
        List<SpecViolations.Violation> problems = new ArrayList<>(StudySpecValidator.validate(draft));
        String workspaceSha256 = null;
        if (draft.workspace() != null && draft.workspace().startsWith("/")) {
            Path workspace = Path.of(draft.workspace());
            if (!Files.isDirectory(workspace)) {
                problems.add(new SpecViolations.Violation("workspace", "no such directory: " + workspace));
            } else {
                try {
                    workspaceSha256 = ContentHash.ofDirectory(workspace);
                } catch (IOException e) {
                    problems.add(new SpecViolations.Violation("workspace", "cannot be read: " + e.getMessage()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SpecViolations(problems);
        }
        UUID eventId = EventIds.timeOrdered(clock, random);
        EventEnvelope created = StudyCreation.decide(draft, team, clock.instant(), eventId,
                ContentHash.sha256(specText), workspaceSha256, random.nextLong());
        return outbound.publish(studies, List.of(created)).replaceWith(created);
    }
}
