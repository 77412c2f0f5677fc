package dev.seedloop.learner.query.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.TeamStreams;
import dev.seedloop.events.Topics;
import dev.seedloop.learner.QueryClient;
import dev.seedloop.learner.StudyScript;
import dev.seedloop.learner.store.persistence.EventStore;
import dev.seedloop.learner.store.persistence.StoredEvent;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Every query type answered over the real broker from what the learner stored: a team with a
 * manual-promotion study (paused, one champion approved, one candidate pending) and a running study,
 * and quotas set twice. The events are sent once for the class; each test only reads.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
public class StudyQueriesTest {

    /** The manual study's events: 1 created + 15 scripted + 3 StrategyUpdated the learner decides (ADR 0021). */
    private static final int MANUAL_STUDY_EVENTS = 19;

    private static Given given;

    private record Given(String team, StudyScript manual, StudyScript running, Instant dayStart,
                         List<StoredEvent> stored) {
    }

    @Inject
    EventCodec codec;

    @Inject
    EventStore store;

    private final QueryClient client = new QueryClient();

    @BeforeEach
    void given() {
        if (given != null) {
            return;
        }
        String team = "lab-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        StudyScript manual = new StudyScript(team, now);
        // The created event first and stored before the rest: its promotion policy decides how they fold.
        send(manual.created(PromotionPolicy.MANUAL, "alice-researcher"));
        awaitStored(manual.studyId, 1);
        manual.manualPromotionRun().forEach(this::send);

        StudyScript running = new StudyScript(team, now.plusSeconds(60));
        send(running.created(PromotionPolicy.AUTO, null));
        awaitStored(running.studyId, 1);
        send(running.proposed(0, "random", List.of()));
        send(running.started(0));

        KafkaTopics.produce(Topics.TEAMS, TeamStreams.streamId(team),
                codec.encode(StudyScript.quota(team, 3, 20, "tess-admin", now)));
        KafkaTopics.produce(Topics.TEAMS, TeamStreams.streamId(team),
                codec.encode(StudyScript.quota(team, 4, 25, "tess-admin", now.plusSeconds(1))));

        List<StoredEvent> stored = awaitStored(manual.studyId, MANUAL_STUDY_EVENTS);
        awaitStored(running.studyId, 3);
        given = new Given(team, manual, running, now.minus(1, ChronoUnit.HOURS), stored);
        await().atMost(QueryClient.TIMEOUT).untilAsserted(() -> assertThat(client.answer(
                new Query.GetTeamUsage(team, given.dayStart()), Views.TeamUsageView.class).maxConcurrentStudies())
                .isEqualTo(4));
    }

    @Test
    void getStudyShowsTheFoldedStudy() {
        StudyScript s = given.manual();

        Views.StudyView view = client.answer(new Query.GetStudy(given.team(), s.studyId), Views.StudyView.class);

        assertThat(view.id()).isEqualTo(s.studyId);
        assertThat(view.team()).isEqualTo(given.team());
        assertThat(view.name()).isEqualTo("resnet-lr-sweep");
        assertThat(view.status()).isEqualTo("paused");
        assertThat(view.createdAt()).isEqualTo(s.t0);
        assertThat(view.createdBy()).isEqualTo("alice-researcher");
        assertThat(view.promotion()).isEqualTo("manual");
        assertThat(view.metric()).isEqualTo("val_loss");
        assertThat(view.direction()).isEqualTo("minimize");
        assertThat(view.budget()).isEqualTo(new Views.BudgetView(40, 2, 38, 2));
        assertThat(view.champion().proposalId()).isEqualTo(s.proposal(0));
        assertThat(view.champion().approvedBy()).isEqualTo("bob-approver");
        assertThat(view.champion().evidence()).isEqualTo(new Views.EvidenceView("beats the champion (Welch t-test)",
                0.08, 0.08 - 0.01, 0.08 + 0.01, 3, 0.01, true, 0.08 + 0.005));
        assertThat(view.pendingApprovals()).singleElement().satisfies(c -> {
            assertThat(c.proposalId()).isEqualTo(s.proposal(1));
            assertThat(c.value()).isEqualTo(0.07);
            assertThat(c.comparedWith()).isEqualTo(s.proposal(0));
        });
        assertThat(view.controls()).extracting(Views.ControlView::action, Views.ControlView::by)
                .containsExactly(tuple("approved", "bob-approver"),
                        tuple("paused", "carol"));
        assertThat(view.proposals()).isEqualTo(3);
        assertThat(view.evaluations()).isEqualTo(2);
        assertThat(view.lastSequence()).isEqualTo(MANUAL_STUDY_EVENTS);
    }

    @Test
    void listStudiesPagesATeamsStudiesNewestFirstWithAStatusFilter() {
        String team = given.team();

        Views.StudyPage all = client.answer(new Query.ListStudies(team, null, 0, 10), Views.StudyPage.class);
        assertThat(all.total()).isEqualTo(2);
        assertThat(all.items()).extracting(Views.StudySummaryView::id)
                .containsExactly(given.running().studyId, given.manual().studyId);
        assertThat(all.items().getLast()).isEqualTo(new Views.StudySummaryView(given.manual().studyId,
                "resnet-lr-sweep", "paused", given.manual().t0, "alice-researcher", 2, 40, 0.08));

        Views.StudyPage second = client.answer(new Query.ListStudies(team, null, 1, 1), Views.StudyPage.class);
        assertThat(second.items()).extracting(Views.StudySummaryView::id).containsExactly(given.manual().studyId);
        assertThat(second.total()).isEqualTo(2);

        Views.StudyPage running = client.answer(new Query.ListStudies(team, "running", 0, 100_000),
                Views.StudyPage.class);
        assertThat(running.items()).extracting(Views.StudySummaryView::id).containsExactly(given.running().studyId);
        assertThat(running.limit()).isEqualTo(Query.MAX_PAGE);
        assertThat(running.total()).isEqualTo(1);

        assertThat(client.answer(new Query.ListStudies("nobody-" + UUID.randomUUID(), null, 0, 10),
                Views.StudyPage.class).items()).isEmpty();
    }

    @Test
    void getEventsPagesTheStoredEnvelopesVerbatimAndFiltersByType() {
        String team = given.team();
        String study = given.manual().studyId;

        Views.EventPage first = client.answer(new Query.GetEvents(team, study, 0, 5, List.of()), Views.EventPage.class);
        assertThat(first.items()).extracting(Views.StoredEventView::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(first.more()).isTrue();
        for (Views.StoredEventView item : first.items()) {
            assertThat(item.event()).isEqualTo(client.codec.tree(given.stored().get((int) item.sequence() - 1).json()));
        }

        Views.EventPage rest = client.answer(new Query.GetEvents(team, study, 5, 100, null), Views.EventPage.class);
        assertThat(rest.items()).extracting(Views.StoredEventView::sequence).first().isEqualTo(6L);
        assertThat(rest.items()).hasSize(MANUAL_STUDY_EVENTS - 5);
        assertThat(rest.more()).isFalse();

        Views.EventPage started = client.answer(new Query.GetEvents(team, study, 0, 100,
                List.of(EventTypes.EXPERIMENT_STARTED)), Views.EventPage.class);
        assertThat(started.items()).hasSize(3)
                .allSatisfy(item -> assertThat(item.event().get("type").asText())
                        .isEqualTo(EventTypes.EXPERIMENT_STARTED));
    }

    @Test
    void getLineageShowsTheApprovedChampionAndTheParentTree() {
        StudyScript s = given.manual();

        Views.LineageView lineage = client.answer(new Query.GetLineage(given.team(), s.studyId, 0, 100),
                Views.LineageView.class);

        assertThat(lineage.champions()).singleElement().satisfies(step -> {
            assertThat(step.proposalId()).isEqualTo(s.proposal(0));
            assertThat(step.previousProposalId()).isNull();
            assertThat(step.value()).isEqualTo(0.08);
            assertThat(step.approvedBy()).isEqualTo("bob-approver");
        });
        assertThat(lineage.nodes()).containsExactlyInAnyOrder(
                new Views.LineageNodeView(s.proposal(0), List.of(), "random", "new-champion", 0.08, null),
                new Views.LineageNodeView(s.proposal(1), List.of(s.proposal(0)), "mutate", "new-champion", 0.07, null),
                new Views.LineageNodeView(s.proposal(2), List.of(s.proposal(0)), "mutate", null, null, null));
        assertThat(lineage.nodesTotal()).isEqualTo(3);

        Views.LineageView page = client.answer(new Query.GetLineage(given.team(), s.studyId, 1, 1),
                Views.LineageView.class);
        assertThat(page.nodes()).containsExactly(lineage.nodes().get(1));
        assertThat(page.offset()).isEqualTo(1);
        assertThat(page.nodesTotal()).isEqualTo(3);
        assertThat(page.champions()).as("the champion history is whole on every page")
                .isEqualTo(lineage.champions());
    }

    @Test
    void getExperimentLogShowsOutcomeAndTailOrNotFound() {
        StudyScript s = given.manual();

        assertThat(client.answer(new Query.GetExperimentLog(given.team(), s.studyId, s.experiment(0)),
                Views.ExperimentLogView.class)).isEqualTo(new Views.ExperimentLogView(s.experiment(0), s.proposal(0),
                "completed", 0, null, "epoch 20/20 val_loss=0.08\n"));
        assertThat(client.answer(new Query.GetExperimentLog(given.team(), s.studyId, s.experiment(2)),
                Views.ExperimentLogView.class).outcome()).isEqualTo("running");
        assertThat(client.ask(new Query.GetExperimentLog(given.team(), s.studyId, UUID.randomUUID())).outcome())
                .isEqualTo(QueryReply.Outcome.NOT_FOUND);
    }

    @Test
    void getTeamUsageCountsActiveStudiesAndTodaysExperimentsWithTheLatestQuota() {
        String team = given.team();

        assertThat(client.answer(new Query.GetTeamUsage(team, given.dayStart()), Views.TeamUsageView.class))
                .isEqualTo(new Views.TeamUsageView(team, 4, 25, 2, 4, "tess-admin", given.manual().t0.plusSeconds(1)));
        assertThat(client.answer(new Query.GetTeamUsage(team, given.dayStart().plus(1, ChronoUnit.DAYS)),
                Views.TeamUsageView.class).experimentsToday()).isZero();
        String unknown = "nobody-" + UUID.randomUUID();
        assertThat(client.answer(new Query.GetTeamUsage(unknown, given.dayStart()), Views.TeamUsageView.class))
                .isEqualTo(new Views.TeamUsageView(unknown, null, null, 0, 0, null, null));
    }

    @Test
    void everyStudyScopedQueryAnswersNotFoundForAnotherTeamExactlyAsForNoStudy() {
        String study = given.manual().studyId;
        String missing = UUID.randomUUID().toString();
        UUID experiment = given.manual().experiment(0);
        // Another team asking for an existing study, and the owning team asking for a study that does not exist.
        for (List<String> ask : List.of(List.of("intruders", study), List.of(given.team() + "-not", study),
                List.of(given.team(), missing))) {
            String team = ask.get(0);
            String id = ask.get(1);
            for (Query query : List.of(new Query.GetStudy(team, id), new Query.GetLineage(team, id, 0, 100),
                    new Query.GetEvents(team, id, 0, 10, List.of()),
                    new Query.GetExperimentLog(team, id, experiment))) {
                QueryReply reply = client.ask(query);
                assertThat(reply.outcome()).as(query.toString()).isEqualTo(QueryReply.Outcome.NOT_FOUND);
                assertThat(reply.detail()).as(query.toString()).isEqualTo("no study " + id);
                assertThat(reply.body() == null || reply.body().isNull()).as(query.toString()).isTrue();
            }
        }
        // The team stream is not a study either.
        assertThat(client.ask(new Query.GetEvents(given.team(), TeamStreams.streamId(given.team()),
                0, 10, List.of())).outcome()).isEqualTo(QueryReply.Outcome.NOT_FOUND);
    }

    private void send(StudyScript.Sent sent) {
        KafkaTopics.produce(sent.topic(), sent.event().studyId(), codec.encode(sent.event()));
    }

    private List<StoredEvent> awaitStored(String study, int count) {
        return await().atMost(QueryClient.TIMEOUT).until(() -> stored(store, study), stored -> stored.size() >= count);
    }

    public static List<StoredEvent> stored(EventStore store, String study) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> store.readStudy(study, 0).collect().asList());
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
