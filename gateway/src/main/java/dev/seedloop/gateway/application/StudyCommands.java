package dev.seedloop.gateway.application;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;

import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.TeamQuotaSet;
import dev.seedloop.events.TeamStreams;
import dev.seedloop.gateway.config.GatewayConfig;
import dev.seedloop.gateway.domain.QuotaPolicy;
import dev.seedloop.gateway.domain.SpecViolations;
import dev.seedloop.gateway.domain.StudyControl;
import dev.seedloop.gateway.domain.StudyCreation;
import dev.seedloop.gateway.domain.StudySpecDraft;
import dev.seedloop.gateway.domain.StudySpecValidator;
import dev.seedloop.messaging.OutboundEvents;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Turns accepted requests into events on Kafka and answers only once the broker has them. Checks that need
 * the loop's state (quotas, a study's status, pending candidates) read the learner's projections first.
 */
@ApplicationScoped
public class StudyCommands {

    /** A request refused by a team quota; see {@link QuotaPolicy.Refusal}. */
    public static final class QuotaExceeded extends RuntimeException {
        private final transient QuotaPolicy.Refusal refusal;

        public QuotaExceeded(QuotaPolicy.Refusal refusal) {
            super(refusal.detail());
            this.refusal = refusal;
        }

        public QuotaPolicy.Refusal refusal() {
            return refusal;
        }
    }

    private final SecureRandom random = new SecureRandom();

    @Inject
    Clock clock;

    @Inject
    SpecReader specs;

    @Inject
    OutboundEvents outbound;

    @Inject
    LearnerQueries queries;

    @Inject
    GatewayConfig config;

    @Inject
    @Channel("studies-out")
    MutinyEmitter<byte[]> studies;

    @Inject
    @Channel("teams-out")
    MutinyEmitter<byte[]> teams;

    /**
     * Reads, validates, checks the team's quotas and publishes a new study. Blocking (it hashes the
     * workspace): call it from a worker thread.
     *
     * @throws SpecViolations listing every problem; nothing is published then
     * @throws QuotaExceeded  when the team may not start this study now
     */
    public Uni<EventEnvelope> create(Caller caller, String specText) {
        return admit(caller, decide(caller, specText));
    }

    /**
     * Like {@link #create}, for a study that starts from what study {@code sourceId} knew at its sequence
     * {@code atSequence} (null: its latest): the learner says what the fork inherits, and the fork's first event
     * records it. The source must be the caller's team's (404 otherwise, as everywhere).
     */
    public Uni<EventEnvelope> fork(Caller caller, String sourceId, Long atSequence, String specText) {
        EventEnvelope created = decide(caller, specText);
        return queries.forkOrigin(caller.team(), sourceId, atSequence)
                .map(origin -> new EventEnvelope(created.eventId(), created.studyId(), created.team(),
                        created.occurredAt(), created.causationId(), created.correlationId(), created.producer(),
                        ((StudyCreated) created.payload()).forkedFrom(origin)))
                .chain(fork -> admit(caller, fork));
    }

    private EventEnvelope decide(Caller caller, String specText) {
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
        return StudyCreation.decide(draft, caller.team(), caller.username(), clock.instant(),
                EventIds.timeOrdered(clock, random), ContentHash.sha256(specText), workspaceSha256, random.nextLong());
    }

    /** Publishes a study once the team's quotas allow it. */
    private Uni<EventEnvelope> admit(Caller caller, EventEnvelope created) {
        int requested = ((StudyCreated) created.payload()).budget().maxExperiments();
        Instant now = clock.instant();
        return queries.teamUsage(caller.team(), QuotaPolicy.dayStart(now))
                .map(usage -> {
                    QuotaPolicy.Refusal refusal = QuotaPolicy.admit(limits(usage), usage.activeStudies(),
                            usage.experimentsToday(), requested, now);
                    if (refusal != null) {
                        throw new QuotaExceeded(refusal);
                    }
                    return created;
                })
                .call(event -> outbound.publish(studies, List.of(event)));
    }

    /**
     * Publishes a pause, resume, halt, approval or rejection after checking it fits the study's state.
     *
     * @throws StudyControl.Conflict when it does not (e.g. resuming a halted study)
     */
    public Uni<EventEnvelope> control(Caller caller, StudyControl.Action action, String studyId, UUID candidate,
            String reason) {
        return queries.study(caller.team(), studyId)
                .map(study -> StudyControl.decide(action, studyId, caller.team(), study.status(), caller.username(),
                        reason, candidate, isPending(study, candidate), clock.instant(),
                        EventIds.timeOrdered(clock, random)))
                .call(event -> outbound.publish(studies, List.of(event)));
    }

    /** Publishes the team's new quotas; the caller must be an admin of that team. */
    public Uni<EventEnvelope> setQuota(Caller caller, int maxConcurrentStudies, int maxExperimentsPerDay) {
        UUID eventId = EventIds.timeOrdered(clock, random);
        EventEnvelope event = new EventEnvelope(eventId, TeamStreams.streamId(caller.team()), caller.team(),
                clock.instant(), null, eventId, Services.GATEWAY,
                new TeamQuotaSet(maxConcurrentStudies, maxExperimentsPerDay, caller.username()));
        return outbound.publish(teams, List.of(event)).replaceWith(event);
    }

    /** The quotas in force for a team: what its admin set, else the configured defaults. */
    public QuotaPolicy.Limits limits(Views.TeamUsageView usage) {
        return new QuotaPolicy.Limits(
                usage.maxConcurrentStudies() == null ? config.quota().maxConcurrentStudies()
                        : usage.maxConcurrentStudies(),
                usage.maxExperimentsPerDay() == null ? config.quota().maxExperimentsPerDay()
                        : usage.maxExperimentsPerDay());
    }

    private static boolean isPending(Views.StudyView study, UUID candidate) {
        return candidate != null && study.pendingApprovals().stream()
                .anyMatch(pending -> pending.proposalId().equals(candidate));
    }
}
