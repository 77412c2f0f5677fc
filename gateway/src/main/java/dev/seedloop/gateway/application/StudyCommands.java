package dev.seedloop.gateway.application;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ServiceUnavailableException;

import org.eclipse.microprofile.reactive.messaging.Channel;

import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventLimits;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.TeamQuotaSet;
import dev.seedloop.events.TeamStreams;
import dev.seedloop.events.WorkspaceRef;
import dev.seedloop.gateway.config.GatewayConfig;
import dev.seedloop.gateway.domain.Baselines;
import dev.seedloop.gateway.domain.ExperimentCeilings;
import dev.seedloop.gateway.domain.SpecTooLarge;
import dev.seedloop.gateway.domain.SpecViolations;
import dev.seedloop.gateway.domain.StudyControl;
import dev.seedloop.gateway.domain.StudyCreation;
import dev.seedloop.gateway.domain.StudySpecDraft;
import dev.seedloop.gateway.domain.StudySpecValidator;
import dev.seedloop.gateway.domain.TeamQuotas;
import dev.seedloop.messaging.OutboundEvents;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Turns accepted requests into events on Kafka and answers only once the broker has them. Checks that need
 * the loop's state (a study's status, pending candidates) read the learner's projections first; admission against
 * the team's quotas is the learner's decision ({@code Query.AdmitStudy}).
 */
@ApplicationScoped
public class StudyCommands {

    /**
     * A study the learner did not admit against its team's quotas: {@code status} 429 (try again after
     * {@code retryAfterSeconds}) or 403 (never as asked), with the learner's title and detail.
     */
    public static final class QuotaExceeded extends RuntimeException {
        private final int status;
        private final String title;
        private final Long retryAfterSeconds;

        public QuotaExceeded(int status, String title, String detail, Long retryAfterSeconds) {
            super(detail);
            this.status = status;
            this.title = title;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int status() {
            return status;
        }

        public String title() {
            return title;
        }

        /** Null for a 403. */
        public Long retryAfterSeconds() {
            return retryAfterSeconds;
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
    EventCodec codec;

    @Inject
    LearnerQueries queries;

    @Inject
    GatewayConfig config;

    @Inject
    Workspaces workspaces;

    @Inject
    @Channel("studies-out")
    MutinyEmitter<byte[]> studies;

    @Inject
    @Channel("teams-out")
    MutinyEmitter<byte[]> teams;

    /**
     * Reads and validates a new study, has the learner admit it against the team's quotas, and publishes it. Blocking (it checks the
     * workspace in the artifact store): call it from a worker thread.
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
                .map(origin -> created.withPayload(((StudyCreated) created.payload()).forkedFrom(origin)))
                .chain(fork -> admit(caller, fork));
    }

    /**
     * Starts study {@code sourceId}'s baseline ({@link Baselines}): its sibling on the same budget with the strategy
     * evolution must beat, admitted like a new study. The source must be the caller's team's (404 otherwise).
     *
     * @throws dev.seedloop.gateway.domain.StudyControl.Conflict when it has its baseline already, is one, or runs
     *                                                          the baseline's strategy itself
     */
    public Uni<EventEnvelope> baseline(Caller caller, String sourceId) {
        String baselineId = Baselines.idOf(sourceId);
        return queries.events(caller.team(), sourceId, 0, 1, List.of(EventTypes.STUDY_CREATED))
                .map(page -> {
                    if (page.items().isEmpty()) {
                        throw new NotFoundException("no such study: " + sourceId);
                    }
                    return codec.decode(page.items().getFirst().event().toString());
                })
                .call(source -> queries.study(caller.team(), baselineId).map(view -> true)
                        .onFailure(NotFoundException.class).recoverWithItem(false)
                        .invoke(exists -> {
                            if (exists) {
                                throw new StudyControl.Conflict("study " + sourceId + " has its baseline already: "
                                        + baselineId);
                            }
                        }))
                .map(source -> Baselines.decide(source, caller.username(), clock.instant(),
                        EventIds.timeOrdered(clock, random)))
                .chain(created -> admit(caller, created));
    }

    private EventEnvelope decide(Caller caller, String specText) {
        StudySpecDraft draft = specs.read(specText);
        List<SpecViolations.Violation> problems = new ArrayList<>(StudySpecValidator.validate(draft));
        if (problems.isEmpty()) {
            problems.addAll(ceilings().violations(StudySpecValidator.experiment(draft)));
        }
        WorkspaceRef workspace = workspaces.resolve(caller.team(), draft, problems);
        if (problems.isEmpty()) {
            workspaces.checkLlm(draft, workspace, problems);
        }
        if (!problems.isEmpty()) {
            throw new SpecViolations(problems);
        }
        return StudyCreation.decide(draft, caller.team(), caller.username(), clock.instant(),
                EventIds.timeOrdered(clock, random), ContentHash.sha256(specText), workspace, random.nextLong());
    }

    private ExperimentCeilings ceilings() {
        GatewayConfig.ExperimentCeilings c = config.experimentCeilings();
        return new ExperimentCeilings(c.timeout().toSeconds(), c.cpuSeconds(), c.memoryMiB(), c.processes(),
                c.outputBytes());
    }

    /**
     * Publishes a study once the learner admits it. The learner alone decides, holding a place for each study it
     * admits until its StudyCreated is stored, so creations racing each other cannot all pass on the same count (the
     * gateway's own check-then-publish could not stop that). Nothing is published unless admitted.
     */
    private Uni<EventEnvelope> admit(Caller caller, EventEnvelope created) {
        int size = codec.encode(created).length;
        if (size > EventLimits.MAX_EVENT_BYTES) {
            // A spec alone cannot get here (its size is bounded); a fork adds what it inherits, bounded by the learner.
            throw new SpecTooLarge("the study's first event would be " + size + " bytes with what it inherits, over"
                    + " the event size limit of " + EventLimits.MAX_EVENT_BYTES + "; fork at an earlier sequence");
        }
        int requested = ((StudyCreated) created.payload()).budget().maxExperiments();
        return queries.admit(caller.team(), created.studyId(), requested, config.quota().maxConcurrentStudies(),
                        config.quota().maxExperimentsPerDay())
                .map(admission -> {
                    if (!admission.admitted()) {
                        throw refusal(admission);
                    }
                    return created;
                })
                .call(event -> outbound.publish(studies, List.of(event)));
    }

    private static RuntimeException refusal(Views.AdmissionView admission) {
        Integer status = admission.status();
        if (status == null || (status != 403 && status != 429)) {
            // Not one of the two answers the protocol allows: refuse safely, without inventing a quota problem.
            return new ServiceUnavailableException("the learner's admission answer is not understood (status "
                    + status + "); retry shortly");
        }
        return new QuotaExceeded(status, admission.title(), admission.detail(),
                status == 429 ? (admission.retryAfterSeconds() == null ? 60L : admission.retryAfterSeconds()) : null);
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
        EventEnvelope event = EventEnvelope.firstOfChain(eventId, TeamStreams.streamId(caller.team()), caller.team(),
                clock.instant(), Services.GATEWAY,
                new TeamQuotaSet(maxConcurrentStudies, maxExperimentsPerDay, caller.username()));
        return outbound.publish(teams, List.of(event)).replaceWith(event);
    }

    /** The quotas in force for a team: what its admin set, else the configured defaults. */
    public TeamQuotas.Limits limits(Views.TeamUsageView usage) {
        return TeamQuotas.inForce(usage, new TeamQuotas.Limits(config.quota().maxConcurrentStudies(),
                config.quota().maxExperimentsPerDay()));
    }

    private static boolean isPending(Views.StudyView study, UUID candidate) {
        return candidate != null && study.pendingApprovals().stream()
                .anyMatch(pending -> pending.proposalId().equals(candidate));
    }
}
