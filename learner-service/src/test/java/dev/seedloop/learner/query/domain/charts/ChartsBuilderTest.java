package dev.seedloop.learner.query.domain.charts;

import static dev.seedloop.learner.query.domain.charts.ChartEvents.proposal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.FailureReason;
import dev.seedloop.events.Verdict;
import dev.seedloop.queries.Views;

/** The charts of a study told event by event: states, failures, points, champions and downsampling. */
class ChartsBuilderTest {

    /**
     * Eight proposals: one rejected, one never started, one run twice (its second run still going), two failures of
     * different reasons, a validation failure that has a value, and a champion change stored before the evaluation
     * that caused it, of a proposal whose ProposalCreated is stored after its experiment started.
     */
    @Test
    void aSmallStudysStatesFailuresPointsAndChampions() {
        ChartEvents s = new ChartEvents().created();
        for (int n = 1; n <= 7; n++) {
            s.proposed(n);
        }
        s.rejected(5);
        s.started(1, 1).completed(1, 1).evaluated(1, 1, Verdict.NEW_CHAMPION, 0.5).champion(1, 1, null, 0.5);
        long firstChampion = s.sequence;
        s.started(2, 2).failed(2, 2, FailureReason.CRASHED).evaluatedInvalid(2, 2);
        s.started(3, 3).completed(3, 3).evaluated(3, 3, Verdict.NOT_BETTER, 0.6);
        s.started(6, 3);
        s.completed(1, 1);
        s.started(9, 6).failed(9, 6, FailureReason.TIMEOUT).evaluatedInvalid(9, 6);
        s.started(10, 7).completed(10, 7).evaluated(10, 7, Verdict.INVALID, 0.2);
        s.started(11, 8).proposed(8).completed(11, 8).champion(11, 8, 1, 0.4);
        long secondChampion = s.sequence;
        s.evaluated(11, 8, Verdict.NEW_CHAMPION, 0.4);

        Views.StudyChartsView view = s.builder.build(10);

        assertThat(view.studyId()).isEqualTo(ChartEvents.STUDY);
        assertThat(view.sequence()).isEqualTo(s.sequence);
        assertThat(view.metric()).isEqualTo("val_loss");
        assertThat(view.direction()).isEqualTo("minimize");
        assertThat(view.evaluationsTotal()).isEqualTo(6);
        assertThat(view.pointsOmitted()).isZero();
        assertThat(view.points()).extracting(Views.ChartPointView::index, Views.ChartPointView::proposalId,
                Views.ChartPointView::value, Views.ChartPointView::verdict).containsExactly(
                tuple(1, proposal(1), 0.5, "new-champion"), tuple(3, proposal(3), 0.6, "not-better"),
                tuple(5, proposal(7), 0.2, "invalid"), tuple(6, proposal(8), 0.4, "new-champion"));
        assertThat(view.points().getFirst().ciLow()).isEqualTo(0.49);
        assertThat(view.points().getFirst().ciHigh()).isEqualTo(0.51);
        assertThat(view.points().getLast().params()).containsExactly(entry("lr", 0.001 * 9), entry("layers", 1),
                entry("optimizer", "adam"));
        assertThat(view.champions()).extracting(Views.ChampionPointView::index, Views.ChampionPointView::proposalId,
                Views.ChampionPointView::value, Views.ChampionPointView::ciLow, Views.ChampionPointView::sequence)
                .containsExactly(tuple(1, proposal(1), 0.5, 0.49, firstChampion),
                        tuple(6, proposal(8), 0.4, 0.39, secondChampion));
        assertThat(view.experimentsByState()).containsExactly(entry("waiting", 1), entry("running", 1),
                entry("completed", 4), entry("failed", 2));
        assertThat(view.failuresByReason()).containsExactly(entry("timeout", 1), entry("crashed", 1));
        assertThat(view.parameters()).extracting(Views.ParameterAxisView::name, Views.ParameterAxisView::kind,
                Views.ParameterAxisView::low, Views.ParameterAxisView::high, Views.ParameterAxisView::choices)
                .containsExactly(tuple("lr", "float", 1e-4, 0.1, List.of()),
                        tuple("layers", "int", 1.0, 8.0, List.of()),
                        tuple("optimizer", "categorical", null, null, List.of("adam", "sgd")));
    }

    @Test
    void theAnswerIsAsOfTheLastEventToldEvenOfAnUntoldType() {
        ChartEvents s = new ChartEvents().created().proposed(1);
        assertThat(s.builder.build(10).sequence()).isEqualTo(2);

        s.builder.toldUpTo(7);

        assertThat(s.builder.build(10).sequence()).isEqualTo(7);
        assertThat(s.builder.build(10).experimentsByState()).containsEntry("waiting", 1);
    }

    /**
     * The same events told again (a redelivery, or a kept builder asked to go on from too early) change nothing: the
     * builder counts each proposal, experiment, evaluation and champion change once.
     */
    @Test
    void eventsToldAgainChangeNothing() {
        ChartEvents once = study(50, 3);
        ChartEvents twice = study(50, 3);

        twice.events.forEach(event -> twice.builder.accept(event, twice.sequence));

        assertThat(twice.builder.build(10)).isEqualTo(once.builder.build(10));
    }

    @Test
    void beforeItsStudyCreatedAStudyHasNoMetricNoAxesAndEveryStateCounted() {
        Views.StudyChartsView view = new ChartEvents().builder.build(10);

        assertThat(view.metric()).isNull();
        assertThat(view.direction()).isNull();
        assertThat(view.parameters()).isEmpty();
        assertThat(view.points()).isEmpty();
        assertThat(view.experimentsByState()).containsExactly(entry("waiting", 0), entry("running", 0),
                entry("completed", 0), entry("failed", 0));
        assertThat(view.failuresByReason()).isEmpty();
    }

    /** 10 000 evaluations into 500 points: every champion and the latest kept, the cloud's envelope too. */
    @Test
    void tenThousandEvaluationsKeepChampionsTheLatestAndTheEnvelopeWithinTheBudget() {
        ChartEvents s = study(10_000, 11);

        Views.StudyChartsView view = s.builder.build(500);
        Views.StudyChartsView all = s.builder.build(10_000);

        assertThat(all.points()).hasSize(10_000);
        assertThat(view.evaluationsTotal()).isEqualTo(10_000);
        assertThat(view.points()).hasSizeLessThanOrEqualTo(500).hasSizeGreaterThan(490);
        assertThat(view.pointsOmitted()).isEqualTo(10_000 - view.points().size());
        List<Integer> kept = view.points().stream().map(Views.ChartPointView::index).toList();
        assertThat(kept).isSorted().doesNotHaveDuplicates().contains(10_000);
        assertThat(view.champions()).hasSizeGreaterThan(5);
        assertThat(kept).containsAll(view.champions().stream().map(Views.ChampionPointView::index).toList());
        // The envelope: every point left out has a kept point at least as high and one at least as low near it
        // (within two stretches of the order: 10 000 points in ~250 stretches of ~40).
        int near = 80;
        for (Views.ChartPointView p : all.points()) {
            List<Views.ChartPointView> around = view.points().stream()
                    .filter(q -> Math.abs(q.index() - p.index()) <= near).toList();
            assertThat(around.stream().anyMatch(q -> q.value() >= p.value())).as("kept at or above %d", p.index())
                    .isTrue();
            assertThat(around.stream().anyMatch(q -> q.value() <= p.value())).as("kept at or below %d", p.index())
                    .isTrue();
        }
        assertThat(study(10_000, 11).builder.build(500)).as("the same events, the same points").isEqualTo(view);
    }

    @Test
    void moreChampionsThanPointsKeepTheLatestAndChampionsAtAnEvenStrideAndListEveryChampion() {
        ChartEvents s = new ChartEvents().created();
        for (int n = 1; n <= 40; n++) {
            s.proposed(n).started(n, n).completed(n, n).evaluated(n, n, Verdict.NEW_CHAMPION, 1.0 / n)
                    .champion(n, n, n == 1 ? null : n - 1, 1.0 / n);
        }

        Views.StudyChartsView view = s.builder.build(10);

        assertThat(view.champions()).hasSize(40);
        assertThat(view.points()).extracting(Views.ChartPointView::index)
                .containsExactly(1, 5, 10, 15, 20, 24, 29, 34, 39, 40);
        assertThat(view.pointsOmitted()).isEqualTo(30);
    }

    /** {@code evaluations} experiments, each evaluated, improving slowly with noise; champions as they come. */
    static ChartEvents study(int evaluations, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ChartEvents s = new ChartEvents().created();
        double best = Double.POSITIVE_INFINITY;
        Integer champion = null;
        for (int n = 1; n <= evaluations; n++) {
            double value = 0.04 + 0.1 / (1 + n / 500.0) + 0.02 * -Math.log(1 - random.nextDouble());
            boolean wins = value < best;
            s.proposed(n).started(n, n).completed(n, n)
                    .evaluated(n, n, wins ? Verdict.NEW_CHAMPION : Verdict.NOT_BETTER, value);
            if (wins) {
                s.champion(n, n, champion, value);
                best = value;
                champion = n;
            }
        }
        return s;
    }
}
