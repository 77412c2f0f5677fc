package dev.seedloop.learner.query.domain.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.Verdict;
import dev.seedloop.learner.query.domain.ReplySize;
import dev.seedloop.learner.query.messaging.QueryResponder;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.Views;

/**
 * The largest charts answer, {@link Query#MAX_CHART_POINTS} points of three parameters each and 1000 champions, fits
 * the learner's reply budget as its responder judges it (the budget and the reply producer's limit are read from the
 * learner's own configuration, so the test follows them).
 */
class ChartsReplySizeTest {

    @Test
    void theLargestChartsAnswerFitsTheReplyBudget() throws IOException {
        Properties config = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            config.load(in);
        }
        int budget = Integer.parseInt(config.getProperty("seedloop.learner.queries.max-reply-bytes"));
        long maxRequest = Long.parseLong(config.getProperty("mp.messaging.outgoing.query-replies.max.request.size"));
        ChartsBuilder builder = randomStudy(Query.MAX_CHART_POINTS, 5, new SplittableRandom(5));

        Views.StudyChartsView view = builder.build(Query.MAX_CHART_POINTS);
        QueryCodec codec = new QueryCodec();
        byte[] encoded = codec.encode(codec.ok(view));
        long compressed = QueryResponder.gzippedSize(encoded);
        System.out.printf(Locale.ROOT, "charts reply of %d points, %d champions: %,d bytes (%,d gzipped), budget %,d%n",
                view.points().size(), view.champions().size(), encoded.length, compressed, budget);

        assertThat(view.points()).hasSize(Query.MAX_CHART_POINTS);
        assertThat(view.champions()).hasSize(Query.MAX_CHART_POINTS / 5);
        assertThat(view.points().getFirst().params()).hasSize(3);
        assertThat(ReplySize.fits(encoded.length, compressed, budget, maxRequest)).isTrue();
    }

    /**
     * Random ids and full-precision values: what gzip squeezes least (ids derived from counters would flatter it).
     * One evaluation in {@code championEvery} a champion: a long study has far fewer (the synthetic 10 000-experiment
     * study of the benchmark ~200), and each costs ~50 bytes gzipped.
     */
    private static ChartsBuilder randomStudy(int evaluations, int championEvery, SplittableRandom random) {
        ChartsBuilder builder = new ChartsBuilder(ChartEvents.STUDY);
        long sequence = 0;
        builder.accept(ChartEvents.studyCreated(), ++sequence);
        UUID previous = null;
        for (int n = 0; n < evaluations; n++) {
            UUID proposal = uuid(random);
            UUID experiment = uuid(random);
            UUID evaluation = uuid(random);
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("lr", Math.exp(Math.log(1e-4) + random.nextDouble() * Math.log(1e3)));
            parameters.put("layers", 1 + random.nextInt(8));
            parameters.put("optimizer", random.nextBoolean() ? "adam" : "sgd");
            double value = 1.0 / (n + 2) + random.nextDouble() * 1e-6;
            Verdict verdict = n % championEvery == 0 ? Verdict.NEW_CHAMPION : Verdict.NOT_BETTER;
            builder.accept(new ProposalCreated(proposal, n, "evolutionary", "mutate", parameters, List.of()),
                    ++sequence);
            builder.accept(new ExperimentStarted(experiment, proposal, "local-process", ChartEvents.SHA, 3),
                    ++sequence);
            builder.accept(new EvaluationCompleted(evaluation, experiment, proposal, verdict, "judged",
                    new MetricSummary("val_loss", 3, value, 1e-3, value - random.nextDouble() * 1e-3,
                            value + random.nextDouble() * 1e-3), 0.01, true, ChartEvents.SHA), ++sequence);
            if (n % championEvery == 0) {
                builder.accept(new ChampionChanged(proposal, previous, evaluation, value), ++sequence);
                previous = proposal;
            }
        }
        return builder;
    }

    private static UUID uuid(SplittableRandom random) {
        return new UUID(random.nextLong(), random.nextLong());
    }
}
