package dev.seedloop.gateway.application;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ServiceUnavailableException;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.seedloop.events.TeamStreams;
import dev.seedloop.gateway.config.GatewayConfig;
import dev.seedloop.messaging.SeedloopMeters;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;

/**
 * Reads the learner's projections through Kafka request-reply. Outcomes become HTTP answers: not-found →
 * 404 (also for another team's study: the learner cannot tell the two apart for us, by design), invalid →
 * 400, failed or no answer in time → 503.
 */
@ApplicationScoped
public class LearnerQueries {

    private static final Logger LOG = Logger.getLogger(LearnerQueries.class);

    @Inject
    @Channel("queries")
    KafkaRequestReply<byte[], byte[]> requests;

    @Inject
    GatewayConfig config;

    @Inject
    SeedloopMeters meters;

    /** A ping reads nothing of any team's; the query still names one, as every query does. */
    private static final String PING_TEAM = "gateway-readiness";

    private final QueryCodec codec = new QueryCodec();

    public Uni<Views.StudyView> study(String team, String studyId) {
        return ask(studyId, new Query.GetStudy(team, studyId), Views.StudyView.class);
    }

    public Uni<Views.StudyPage> studies(String team, String status, int offset, int limit) {
        return ask(TeamStreams.streamId(team), new Query.ListStudies(team, status, offset, limit), Views.StudyPage.class);
    }

    public Uni<Views.EventPage> events(String team, String studyId, long after, int limit, List<String> types) {
        return ask(studyId, new Query.GetEvents(team, studyId, after, limit, types), Views.EventPage.class);
    }

    public Uni<Views.LineageView> lineage(String team, String studyId, int offset, int limit) {
        return ask(studyId, new Query.GetLineage(team, studyId, offset, limit), Views.LineageView.class);
    }

    public Uni<Views.ExperimentLogView> experimentLog(String team, String studyId, UUID experimentId) {
        return ask(studyId, new Query.GetExperimentLog(team, studyId, experimentId), Views.ExperimentLogView.class);
    }

    public Uni<Views.TeamUsageView> teamUsage(String team, java.time.Instant dayStart) {
        return ask(TeamStreams.streamId(team), new Query.GetTeamUsage(team, dayStart), Views.TeamUsageView.class);
    }

    public Uni<dev.seedloop.queries.StateAtView> stateAt(String team, String studyId, Long atSequence,
            java.time.Instant atTime) {
        return ask(studyId, new Query.GetStateAt(team, studyId, atSequence, atTime),
                dev.seedloop.queries.StateAtView.class);
    }

    public Uni<dev.seedloop.queries.PostmortemView> postmortem(String team, String studyId) {
        return ask(studyId, new Query.GetPostmortem(team, studyId), dev.seedloop.queries.PostmortemView.class);
    }

    /** The study's charts up to {@code atSequence} (null: its head), with at most {@code points} evaluation points. */
    public Uni<Views.StudyChartsView> charts(String team, String studyId, Long atSequence, int points) {
        return ask(studyId, new Query.GetStudyCharts(team, studyId, atSequence, points), Views.StudyChartsView.class);
    }

    /** What a fork of the study at {@code atSequence} (null: its head) inherits. */
    public Uni<dev.seedloop.events.StudyOrigin> forkOrigin(String team, String studyId, Long atSequence) {
        return ask(studyId, new Query.GetForkOrigin(team, studyId, atSequence), dev.seedloop.events.StudyOrigin.class);
    }

    /** Whether any team has this study (import only: see {@link Query.StudyExists}). */
    public Uni<Boolean> exists(String team, String studyId) {
        return ask(studyId, new Query.StudyExists(team, studyId), Views.ExistsView.class).map(Views.ExistsView::exists);
    }

    /**
     * The learner's admission of a new study (or fork) against the team's quotas, with the operator's defaults for a
     * team whose admin set none. Keyed by the team, so all of a team's admissions reach the same partition in order.
     */
    public Uni<Views.AdmissionView> admit(String team, String studyId, int requestedExperiments,
            int defaultMaxConcurrentStudies, int defaultMaxExperimentsPerDay) {
        return ask(TeamStreams.streamId(team), new Query.AdmitStudy(team, studyId, requestedExperiments,
                defaultMaxConcurrentStudies, defaultMaxExperimentsPerDay), Views.AdmissionView.class);
    }

    /**
     * A round trip to the learner and back that fails unless it completes within {@code timeout} (readiness asks
     * more impatiently than a read). Fails as a read would otherwise.
     */
    public Uni<Views.PongView> ping(java.time.Duration timeout) {
        return ask("ping", new Query.Ping(PING_TEAM), Views.PongView.class, timeout);
    }

    private <T> Uni<T> ask(String key, Query query, Class<T> view) {
        return ask(key, query, view, config.queryTimeout());
    }

    private <T> Uni<T> ask(String key, Query query, Class<T> view, java.time.Duration timeout) {
        Message<byte[]> request = Message.of(codec.encode(query))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
        String kind = query.getClass().getSimpleName();
        long[] started = new long[1];
        return requests.request(request)
                .onSubscription().invoke(() -> started[0] = System.nanoTime())
                .ifNoItem().after(timeout).fail()
                .onFailure().invoke(() -> timed(kind, "unanswered", started[0]))
                .onFailure().transform(e -> {
                    // Readiness reports failed pings itself, every few seconds while the learner is away.
                    if (!(query instanceof Query.Ping)) {
                        LOG.warnf(e, "query %s got no answer", query.getClass().getSimpleName());
                    }
                    return new ServiceUnavailableException("the learner did not answer in time; retry shortly");
                })
                .map(reply -> {
                    QueryReply answer = codec.decodeReply(reply.getPayload());
                    timed(kind, answer.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                            started[0]);
                    return switch (answer.outcome()) {
                        case OK -> codec.body(answer, view);
                        case NOT_FOUND -> throw new NotFoundException(answer.detail());
                        case INVALID -> throw new BadRequestException(answer.detail());
                        case FAILED -> throw new ServiceUnavailableException(
                                "the learner could not answer: " + answer.detail());
                    };
                });
    }

    /** The round trip's time, from the request's send to its answer (or to giving up on one). */
    private void timed(String kind, String outcome, long started) {
        meters.gatewayQuery(kind, outcome).record(java.time.Duration.ofNanos(System.nanoTime() - started));
    }
}
