package dev.seedloop.learner.query.application.postmortem;

import static dev.seedloop.learner.query.application.postmortem.StudyScript.T0;
import static dev.seedloop.learner.query.application.postmortem.StudyScript.at;
import static dev.seedloop.learner.query.application.postmortem.StudyScript.evaluation;
import static dev.seedloop.learner.query.application.postmortem.StudyScript.experiment;
import static dev.seedloop.learner.query.application.postmortem.StudyScript.proposal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.ValidationResult;
import dev.seedloop.events.Verdict;
import dev.seedloop.learner.query.domain.postmortem.LogFingerprint;
import dev.seedloop.queries.PostmortemView;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.Views;

/**
 * A manual-promotion study told event by event: two approved promotions (the second's champion change stored
 * before its approval), one rejected candidate, two crashes of the same shape with different numbers, a
 * timeout, a validation failure and a held-out degradation that beat the champion, a proposal rejected before
 * it ran, a pause, a resume and a halt.
 */
class PostmortemBuilderTest {

    private static final String CRASH_A = """
            2026-01-01T00:00:09.114Z epoch 3/20 loss=0.5131
            Traceback (most recent call last):
              File "/tmp/seedloop/ws-7f3a9c1e/train.py", line 42, in step
                out = model(batch)
            RuntimeError: CUDA error at 0x7ffe1234abcd: out of memory (tried to allocate 2.50 GiB)
            """;
    private static final String CRASH_B = """
            2026-01-01T00:00:39.002Z epoch 11/20 loss=0.3302
            Traceback (most recent call last):
              File "/tmp/seedloop/ws-99c1/train.py", line 42, in step
                out = model(batch)
            RuntimeError: CUDA error at 0x55aa00c0ffee: out of memory (tried to allocate 3.75 GiB)
            """;
    private static final String VALIDATION = "tests/test_api.py::test_roundtrip FAILED";
    private static final ResourceUsage SMALL = new ResourceUsage(10_000, 10_000, 1000);

    private final StudyScript s = new StudyScript();
    private PostmortemView view;

    @BeforeEach
    void tellTheStudy() {
        s.created(0, PromotionPolicy.MANUAL, "alice-researcher");
        s.proposed(1, 0, "random");
        s.proposed(1, 1, "mutate");
        s.started(3, 0);
        s.started(4, 1);
        s.failed(10, 1, FailureReason.CRASHED, "exit code 1", new ResourceUsage(9000, 8000, 2048), CRASH_A);
        s.strategy(11.5, s.evaluated(11, 1, Verdict.INVALID, "experiment failed: crashed (exit code 1)", null, null,
                false, null), 1);
        s.proposed(12, 2, "mutate");
        s.started(13, 2);
        s.completed(33, 0, 0.08, new ResourceUsage(30_000, 25_000, 4096), new ValidationResult(true, "", ""), 0.085);
        EventEnvelope firstWin = s.evaluated(34, 0, Verdict.NEW_CHAMPION, "first valid result: mean val_loss 0.08",
                0.08, null, true, 0.085);
        s.requested(34, 0, 0.08, null);
        s.strategy(34.2, firstWin, 2);
        s.failed(40, 2, FailureReason.CRASHED, "exit code 1", new ResourceUsage(5000, 4000, 1024), CRASH_B);
        s.strategy(42.5, s.evaluated(42, 2, Verdict.INVALID, "experiment failed: crashed (exit code 1)", null, null,
                false, null), 3);
        EventEnvelope approval = s.approved(60, 0, "bob", "looks right");
        s.champion(61, approval.eventId(), 0, null, 0.08);
        s.proposed(62, 3, "crossover");
        s.proposed(62, 4, "mutate");
        s.started(64, 3);
        s.started(65, 4);
        s.failed(80, 3, FailureReason.TIMEOUT, "exceeded 15 s", new ResourceUsage(15_000, 15_000, 512),
                "epoch 7/20 loss=0.41\nkilled after 15 s\n");
        s.strategy(81.4, s.evaluated(81, 3, Verdict.INVALID, "experiment failed: timeout", null, null, false, null), 4);
        s.completed(90, 4, 0.05, SMALL, new ValidationResult(false, VALIDATION, "1 failed, 12 passed"), 0.05);
        s.strategy(91.5, s.evaluated(91, 4, Verdict.INVALID, "validation failed: " + VALIDATION, 0.05, null, false,
                0.05), 5);
        s.proposed(92, 5, "random");
        s.proposed(92, 6, "mutate");
        s.started(93, 5);
        s.started(94, 6);
        s.completed(120, 5, 0.06, SMALL, null, 0.2);
        s.evaluated(121, 5, Verdict.INVALID, "improvement 0.02 but held-out degraded: 0.2 vs champion 0.085", 0.06,
                null, true, 0.2);
        s.completed(125, 6, 0.07, SMALL, null, 0.075);
        s.evaluated(126, 6, Verdict.NEW_CHAMPION, "improvement 0.01 is significant (Welch t=-5.2, p=0.003)", 0.07,
                0.003, true, 0.075);
        s.requested(126, 6, 0.07, proposal(0));
        // The approval travels on seedloop.studies, the champion change it causes on seedloop.evaluations.
        EventEnvelope lateApproval = s.approval(149, 6, "bob", "clear win");
        s.champion(150, lateApproval.eventId(), 6, 0, 0.07);
        s.store(lateApproval);
        s.proposed(151, 7, "crossover");
        s.started(152, 7);
        s.completed(170, 7, 0.065, SMALL, null, 0.07);
        s.evaluated(171, 7, Verdict.NEW_CHAMPION, "improvement 0.005 is significant", 0.065, 0.04, true, 0.07);
        s.requested(171, 7, 0.065, proposal(6));
        s.rejected(180, 7, "carol", "within noise");
        s.proposed(181, 8, "random");
        s.rejectedProposal(181.5, 8);
        s.paused(200, "carol", "GPU maintenance");
        s.resumed(300, "carol");
        s.halted(400, "dave", "wrong dataset");
        view = s.builder().build();
    }

    @Test
    void theStudyItsEndAndItsTotals() {
        assertThat(view.studyId()).isEqualTo(StudyScript.STUDY);
        assertThat(view.lastSequence()).isEqualTo(51);
        assertThat(view.study()).isEqualTo(new PostmortemView.Study("lr-sweep", "team-a", "halted", T0,
                "alice-researcher", "evolutionary", "manual", "val_loss", "minimize", null, 20, 7200L, 2, at(400),
                "halted by dave: wrong dataset", at(400), proposal(6), 0.07, null, null));
        assertThat(view.totals()).isEqualTo(new PostmortemView.Totals(51, 9, 1, 8, 5, 3, 8, 5, 2,
                new PostmortemView.Compute(99_000, 92_000, 4096)));
    }

    @Test
    void everyPromotionCarriesItsEvidenceAndItsApproverWhicheverWasStoredFirst() {
        assertThat(view.lineage()).containsExactly(
                new PostmortemView.Promotion(19, at(61), proposal(0), null, evaluation(0), experiment(0),
                        "evolutionary", "random", 0.08, null, new Views.EvidenceView(
                        "first valid result: mean val_loss 0.08", 0.08, 0.08 - 0.004, 0.08 + 0.004, 3, null, true,
                        0.085), at(34), "bob", "looks right", at(60)),
                new PostmortemView.Promotion(39, at(150), proposal(6), proposal(0), evaluation(6), experiment(6),
                        "evolutionary", "mutate", 0.07, 0.08, new Views.EvidenceView(
                        "improvement 0.01 is significant (Welch t=-5.2, p=0.003)", 0.07, 0.07 - 0.004, 0.07 + 0.004, 3,
                        0.003, true, 0.075), at(126), "bob", "clear win", at(149)));
    }

    @Test
    void yieldPerOperatorCountsProposalsFailuresImprovementsAndCompute() {
        assertThat(view.yields()).containsExactly(
                new PostmortemView.Yield("evolutionary", "crossover", 2, 0, 2, 1, 1, 0, 0.065,
                        new PostmortemView.Compute(25_000, 25_000, 1000)),
                new PostmortemView.Yield("evolutionary", "mutate", 4, 0, 4, 2, 3, 1, 0.07,
                        new PostmortemView.Compute(34_000, 32_000, 2048)),
                new PostmortemView.Yield("evolutionary", "random", 3, 1, 2, 0, 1, 1, 0.08,
                        new PostmortemView.Compute(40_000, 35_000, 4096)));
    }

    @Test
    void crashesOfTheSameShapeGroupTogetherWhateverTheirNumbers() {
        assertThat(view.failures().byReason()).containsExactly(
                new PostmortemView.ReasonCount("crashed", 2, new PostmortemView.Compute(14_000, 12_000, 2048)),
                new PostmortemView.ReasonCount("timeout", 1, new PostmortemView.Compute(15_000, 15_000, 512)));
        assertThat(view.failures().groups()).extracting(PostmortemView.FailureGroup::reason,
                        PostmortemView.FailureGroup::count, PostmortemView.FailureGroup::experimentIds,
                        PostmortemView.FailureGroup::firstAt, PostmortemView.FailureGroup::lastAt)
                .containsExactly(tuple("crashed", 2, List.of(experiment(1), experiment(2)), at(10), at(40)),
                        tuple("timeout", 1, List.of(experiment(3)), at(80), at(80)));
        PostmortemView.FailureGroup crash = view.failures().groups().getFirst();
        assertThat(crash.fingerprint()).isEqualTo(LogFingerprint.of(CRASH_B));
        assertThat(crash.signature()).endsWith("RuntimeError: CUDA error at <hex>: out of memory (tried to allocate"
                + " <n> GiB)");
        // The first occurrence is the sample, as it was.
        assertThat(crash.sampleLogTail()).isEqualTo(CRASH_A.strip());
        assertThat(crash.sampleDetail()).isEqualTo("exit code 1");
    }

    @Test
    void resultsThatBeatTheChampionButFailedItsChecksAreFlagged() {
        assertThat(view.possibleRewardHacking()).containsExactly(
                new PostmortemView.Suspect(28, at(91), "validation-failed", proposal(4), experiment(4), evaluation(4),
                        "mutate", 0.05, 0.08, 0.05, 0.085, "validation failed: " + VALIDATION, VALIDATION),
                new PostmortemView.Suspect(35, at(121), "held-out-degraded", proposal(5), experiment(5),
                        evaluation(5), "random", 0.06, 0.08, 0.2, 0.085,
                        "improvement 0.02 but held-out degraded: 0.2 vs champion 0.085", null));
    }

    @Test
    void waitsPerStageFromTheEventsOccurrenceTimes() {
        assertThat(view.queues()).extracting(PostmortemView.StageQueue::stage, PostmortemView.StageQueue::count,
                        PostmortemView.StageQueue::meanMillis, PostmortemView.StageQueue::p50Millis,
                        PostmortemView.StageQueue::p95Millis, PostmortemView.StageQueue::maxMillis,
                        PostmortemView.StageQueue::totalMillis, PostmortemView.StageQueue::waiting)
                .containsExactly(tuple("implementer", 8, 1875L, 2000L, 3000L, 3000L, 15_000L, 0),
                        tuple("evaluator", 8, 1125L, 1000L, 2000L, 2000L, 9000L, 0),
                        // p5, p6 and p7 were evaluated but never answered: the study was halted first.
                        tuple("learner", 5, 420L, 500L, 500L, 500L, 2100L, 3));
    }

    @Test
    void interventionsSayWhoDidWhatAndWhy() {
        assertThat(view.interventions()).containsExactly(
                new PostmortemView.Intervention(18, at(60), "approved", "bob", "looks right", proposal(0)),
                new PostmortemView.Intervention(40, at(149), "approved", "bob", "clear win", proposal(6)),
                new PostmortemView.Intervention(46, at(180), "rejected", "carol", "within noise", proposal(7)),
                new PostmortemView.Intervention(49, at(200), "paused", "carol", "GPU maintenance", null),
                new PostmortemView.Intervention(50, at(300), "resumed", "carol", null, null),
                new PostmortemView.Intervention(51, at(400), "halted", "dave", "wrong dataset", null));
    }

    @Test
    void theTimelineHasTheMomentsThatMatterInStudyOrder() {
        assertThat(view.timeline()).extracting(PostmortemView.TimelineEntry::sequence,
                        PostmortemView.TimelineEntry::kind, PostmortemView.TimelineEntry::by)
                .containsExactly(tuple(1L, "created", "alice-researcher"), tuple(4L, "first-experiment", null),
                        tuple(6L, "new-failure", null), tuple(13L, "promotion-requested", null),
                        tuple(18L, "approved", "bob"), tuple(19L, "champion", null), tuple(24L, "new-failure", null),
                        tuple(28L, "reward-hacking-suspect", null), tuple(35L, "reward-hacking-suspect", null),
                        tuple(38L, "promotion-requested", null), tuple(39L, "champion", null),
                        tuple(40L, "approved", "bob"), tuple(45L, "promotion-requested", null),
                        tuple(46L, "rejected", "carol"), tuple(49L, "paused", "carol"), tuple(50L, "resumed", "carol"),
                        tuple(51L, "halted", "dave"));
        PostmortemView.TimelineEntry champion = view.timeline().get(10);
        assertThat(champion.summary()).isEqualTo("new champion " + proposal(6).toString().substring(0, 8)
                + " (mutate): val_loss 0.07, was 0.08");
        assertThat(champion.at()).isEqualTo(at(150));
        assertThat(champion.recordedAt()).isEqualTo(at(150.1));
        assertThat(view.timeline().getFirst().summary()).isEqualTo("study 'lr-sweep' created: minimize val_loss,"
                + " budget 20 experiments / 7200 s, parallelism 2, strategy evolutionary, promotion manual");
    }

    @Test
    void theViewSurvivesTheQueryJsonUnchanged() {
        QueryCodec codec = new QueryCodec();

        assertThat(codec.body(codec.decodeReply(codec.encode(codec.ok(view))), PostmortemView.class)).isEqualTo(view);
    }

    @Test
    void aValidationFailureThatDidNotBeatTheChampionIsNoSuspect() {
        StudyScript other = new StudyScript();
        other.created(0, PromotionPolicy.AUTO, null);
        other.proposed(1, 0, "random");
        other.completed(2, 0, 0.08, SMALL, null, null);
        other.evaluated(3, 0, Verdict.NEW_CHAMPION, "first valid result", 0.08, null, true, null);
        other.champion(3, null, 0, null, 0.08);
        other.proposed(4, 1, "mutate");
        other.completed(5, 1, 0.09, SMALL, new ValidationResult(false, "lint failed", ""), null);
        other.evaluated(6, 1, Verdict.INVALID, "validation failed: lint failed", 0.09, null, false, null);

        PostmortemView auto = other.builder().build();

        assertThat(auto.possibleRewardHacking()).isEmpty();
        assertThat(auto.lineage()).singleElement().satisfies(p -> {
            assertThat(p.approvedBy()).isNull();
            assertThat(p.requestedAt()).isNull();
        });
        assertThat(auto.study().status()).isEqualTo("running");
        assertThat(auto.study().endedAt()).isNull();
    }

    @Test
    void aGroupKeepsOnlyAFewExampleIdsAndAShortSample() {
        StudyScript many = new StudyScript();
        many.created(0, PromotionPolicy.AUTO, null);
        String hugeLog = "x=1\n".repeat(100_000) + "Segmentation fault (core dumped)\n";
        for (int n = 0; n < 30; n++) {
            many.proposed(n + 1, n, "random");
            many.failed(n + 1.5, n, FailureReason.CRASHED, "signal " + n, ResourceUsage.NONE,
                    hugeLog.replace("x=1", "x=" + n));
        }

        PostmortemView crashes = many.builder().build();

        assertThat(crashes.failures().groups()).singleElement().satisfies(g -> {
            assertThat(g.count()).isEqualTo(30);
            assertThat(g.experimentIds()).hasSize(PostmortemBuilder.GROUP_EXAMPLES);
            assertThat(g.sampleLogTail()).hasSizeLessThanOrEqualTo(PostmortemBuilder.SAMPLE_CHARS)
                    .endsWith("Segmentation fault (core dumped)");
        });
        assertThat(crashes.timeline()).filteredOn(e -> e.kind().equals("new-failure")).hasSize(1);
    }

    @Test
    void anEmptyStreamBuildsAnEmptyPostmortem() {
        PostmortemView empty = new PostmortemBuilder("nothing").build();

        assertThat(empty.study().status()).isNull();
        assertThat(empty.totals().events()).isZero();
        assertThat(empty.queues()).extracting(PostmortemView.StageQueue::meanMillis).containsOnlyNulls();
    }
}
