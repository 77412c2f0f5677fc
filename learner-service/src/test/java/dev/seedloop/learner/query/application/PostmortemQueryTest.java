package dev.seedloop.learner.query.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.Topics;
import dev.seedloop.learner.QueryClient;
import dev.seedloop.learner.StudyScript;
import dev.seedloop.learner.store.persistence.EventStore;
import dev.seedloop.queries.PostmortemView;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The postmortem answered over the real broker from the real store: a manual-promotion study (one champion
 * approved, one candidate pending, paused), two crashes of the same shape, then a halt.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class PostmortemQueryTest {

    /** 18 events of the manual run (with the learner's two decisions), 2 proposals, 2 starts, 2 failures, a halt. */
    private static final int EVENTS = 26;

    @Inject
    EventCodec codec;

    @Inject
    EventStore store;

    private final QueryClient client = new QueryClient();

    @Test
    void thePostmortemOfAHaltedStudyAndNoneForAnotherTeam() throws Exception {
        String team = "pm-" + UUID.randomUUID();
        StudyScript s = new StudyScript(team, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        send(s.created(PromotionPolicy.MANUAL, "alice-researcher"));
        // The creation and the learner's first request (ADR 0021), stored together.
        await().atMost(QueryClient.TIMEOUT).until(() -> StudyQueriesTest.stored(store, s.studyId).size() == 2);
        s.manualPromotionRun().forEach(this::send);
        for (int n = 3; n <= 4; n++) {
            send(s.event(Topics.PROPOSALS, "proposed:" + n, null, Services.PROPOSER, new ProposalCreated(s.proposal(n),
                    n, "evolutionary", "crossover", java.util.Map.of("learning_rate", 0.1), List.of())));
            send(s.started(n));
            send(s.event(Topics.EXPERIMENTS, "failed:" + n, null, Services.IMPLEMENTER, new ExperimentFailed(
                    s.experiment(n), s.proposal(n), FailureReason.CRASHED, "exit code 1",
                    new ResourceUsage(1000L * n, 900L * n, 512), "step " + (n * 100) + " loss=nan\n"
                    + "FloatingPointError: <script>alert(" + n + ")</script> at 0x7ffe00" + n + "abcdef\n")));
        }
        send(s.event(Topics.STUDIES, "halted", null, Services.GATEWAY, new StudyHalted("dave", "wrong dataset")));
        await().atMost(QueryClient.TIMEOUT).until(() -> StudyQueriesTest.stored(store, s.studyId).size() >= EVENTS);

        PostmortemView view = client.answer(new Query.GetPostmortem(team, s.studyId), PostmortemView.class);

        assertThat(view.studyId()).isEqualTo(s.studyId);
        assertThat(view.lastSequence()).isEqualTo(EVENTS);
        assertThat(view.study().status()).isEqualTo("halted");
        assertThat(view.study().endReason()).isEqualTo("halted by dave: wrong dataset");
        assertThat(view.study().createdBy()).isEqualTo("alice-researcher");
        assertThat(view.lineage()).singleElement().satisfies(p -> {
            assertThat(p.proposalId()).isEqualTo(s.proposal(0));
            assertThat(p.approvedBy()).isEqualTo("bob-approver");
            assertThat(p.evidence().pValue()).isEqualTo(0.01);
            assertThat(p.evidence().heldOutValue()).isEqualTo(0.08 + 0.005);
            assertThat(p.requestedAt()).isNotNull();
        });
        assertThat(view.failures().groups()).singleElement().satisfies(g -> {
            assertThat(g.count()).isEqualTo(2);
            assertThat(g.experimentIds()).containsExactly(s.experiment(3), s.experiment(4));
            assertThat(g.sampleLogTail()).contains("<script>alert(3)</script>");
        });
        assertThat(view.yields()).extracting(PostmortemView.Yield::operator, PostmortemView.Yield::failures)
                .containsExactly(tuple("crossover", 2), tuple("mutate", 0), tuple("random", 0));
        assertThat(view.interventions()).extracting(PostmortemView.Intervention::action,
                PostmortemView.Intervention::by).containsExactly(tuple("approved", "bob-approver"),
                tuple("paused", "carol"), tuple("halted", "dave"));
        // The learner answered both evaluations: its decisions name them as their cause.
        assertThat(view.queues()).filteredOn(q -> q.stage().equals("learner")).singleElement()
                .satisfies(q -> assertThat(q.count()).isEqualTo(2));
        // recorded_at comes from the database clock, which runs after the events' scripted times began.
        assertThat(view.timeline()).allSatisfy(entry -> assertThat(entry.recordedAt()).isNotNull());

        for (Query other : List.of(new Query.GetPostmortem("intruders", s.studyId),
                new Query.GetPostmortem(team, UUID.randomUUID().toString()))) {
            QueryReply reply = client.ask(other);
            assertThat(reply.outcome()).as(other.toString()).isEqualTo(QueryReply.Outcome.NOT_FOUND);
            assertThat(reply.detail()).isEqualTo("no study " + ((Query.GetPostmortem) other).studyId());
        }
    }

    /**
     * The charts (issue #16) of the same manual run with one crash, at the head, again after one more event, and as of
     * the first champion change (the events of other topics may be stored in another order, so only the evaluations'
     * are counted there); and none for another team or for too few points.
     */
    @Test
    void theChartsOfAStudyAtItsHeadAndAsOfItsFirstChampion() throws Exception {
        String team = "charts-" + UUID.randomUUID();
        StudyScript s = new StudyScript(team, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        send(s.created(PromotionPolicy.MANUAL, "alice-researcher"));
        await().atMost(QueryClient.TIMEOUT).until(() -> StudyQueriesTest.stored(store, s.studyId).size() == 2);
        s.manualPromotionRun().forEach(this::send);
        send(s.event(Topics.PROPOSALS, "proposed:3", null, Services.PROPOSER, new ProposalCreated(s.proposal(3), 3,
                "evolutionary", "random", java.util.Map.of("learning_rate", 0.1), List.of())));
        send(s.started(3));
        send(s.event(Topics.EXPERIMENTS, "failed:3", null, Services.IMPLEMENTER, new ExperimentFailed(s.experiment(3),
                s.proposal(3), FailureReason.CRASHED, "exit code 1", ResourceUsage.NONE, "boom\n")));
        // The creation and the learner's request, the run's 15 events and its two decisions, and the crash's three.
        int events = 22;
        await().atMost(QueryClient.TIMEOUT).until(() -> StudyQueriesTest.stored(store, s.studyId).size() >= events);

        Views.StudyChartsView head = client.answer(new Query.GetStudyCharts(team, s.studyId, null, 10),
                Views.StudyChartsView.class);

        assertThat(head.sequence()).isEqualTo(events);
        assertThat(head.metric()).isEqualTo("val_loss");
        assertThat(head.direction()).isEqualTo("minimize");
        assertThat(head.evaluationsTotal()).isEqualTo(2);
        assertThat(head.points()).extracting(Views.ChartPointView::index, Views.ChartPointView::proposalId,
                Views.ChartPointView::value, Views.ChartPointView::verdict)
                .containsExactly(tuple(1, s.proposal(0), 0.08, "new-champion"),
                        tuple(2, s.proposal(1), 0.07, "new-champion"));
        assertThat(head.points().getFirst().params()).containsEntry("learning_rate", 0.001);
        // The second candidate still awaits its approval: one champion.
        assertThat(head.champions()).singleElement().satisfies(c -> {
            assertThat(c.index()).isEqualTo(1);
            assertThat(c.ciHigh()).isEqualTo(0.08 + 0.01);
        });
        assertThat(head.experimentsByState()).containsExactly(entry("waiting", 0), entry("running", 1),
                entry("completed", 2), entry("failed", 1));
        assertThat(head.failuresByReason()).containsExactly(entry("crashed", 1));
        assertThat(head.parameters()).extracting(Views.ParameterAxisView::name)
                .containsExactly("learning_rate", "batch_size", "optimizer");

        // Asked again after one more proposal: the builder kept from the last answer goes on from there.
        send(s.event(Topics.PROPOSALS, "proposed:4", null, Services.PROPOSER, new ProposalCreated(s.proposal(4), 4,
                "evolutionary", "random", java.util.Map.of("learning_rate", 0.2), List.of())));
        await().atMost(QueryClient.TIMEOUT).until(() -> StudyQueriesTest.stored(store, s.studyId).size() > events);
        Views.StudyChartsView later = client.answer(new Query.GetStudyCharts(team, s.studyId, null, 10),
                Views.StudyChartsView.class);
        assertThat(later.sequence()).isEqualTo(events + 1);
        assertThat(later.experimentsByState()).containsExactly(entry("waiting", 1), entry("running", 1),
                entry("completed", 2), entry("failed", 1));
        assertThat(later.points()).isEqualTo(head.points());

        long crowned = StudyQueriesTest.stored(store, s.studyId).stream()
                .filter(e -> e.event().payload() instanceof ChampionChanged).findFirst().orElseThrow().studySequence();
        Views.StudyChartsView then = client.answer(new Query.GetStudyCharts(team, s.studyId, crowned, 10),
                Views.StudyChartsView.class);
        assertThat(then.sequence()).isEqualTo(crowned);
        assertThat(then.evaluationsTotal()).isEqualTo(1);
        assertThat(then.champions()).singleElement().satisfies(c -> assertThat(c.sequence()).isEqualTo(crowned));
        assertThat(then.points()).extracting(Views.ChartPointView::proposalId).containsExactly(s.proposal(0));

        assertThat(client.answer(new Query.GetStudyCharts(team, s.studyId, 1_000L, 10), Views.StudyChartsView.class)
                .sequence()).as("beyond the head: the head").isEqualTo(events + 1);
        assertThat(client.ask(new Query.GetStudyCharts("intruders", s.studyId, null, 10)).outcome())
                .isEqualTo(QueryReply.Outcome.NOT_FOUND);
        QueryReply tooFew = client.ask(new Query.GetStudyCharts(team, s.studyId, null, 9));
        assertThat(tooFew.outcome()).isEqualTo(QueryReply.Outcome.INVALID);
        assertThat(tooFew.detail()).isEqualTo("points must be within [10, 5000] but was 9");
    }

    private void send(StudyScript.Sent sent) {
        KafkaTopics.produce(sent.topic(), sent.event().studyId(), codec.encode(sent.event()));
    }
}
