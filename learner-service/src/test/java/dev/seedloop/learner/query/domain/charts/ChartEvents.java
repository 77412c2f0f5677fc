package dev.seedloop.learner.query.domain.charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.Budget;
import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.SearchSpace;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Verdict;

/**
 * A study's chart-relevant events, told to a {@link ChartsBuilder} one by one with increasing sequences. Proposal,
 * experiment and evaluation ids are derived from small numbers, so a test names them by number.
 */
final class ChartEvents {

    static final String STUDY = "study-charts";
    static final String SHA = "sha256:" + "0".repeat(64);

    final ChartsBuilder builder = new ChartsBuilder(STUDY);
    /** Every payload told, in order. */
    final List<EventPayload> events = new ArrayList<>();
    long sequence;

    static UUID proposal(int n) {
        return new UUID(0x1000L, n);
    }

    static UUID experiment(int n) {
        return new UUID(0x2000L, n);
    }

    static UUID evaluation(int n) {
        return new UUID(0x3000L, n);
    }

    ChartEvents tell(EventPayload payload) {
        events.add(payload);
        builder.accept(payload, ++sequence);
        return this;
    }

    /** val_loss minimised over lr (float, log), layers (int) and optimizer (categorical). */
    ChartEvents created() {
        return tell(studyCreated());
    }

    static StudyCreated studyCreated() {
        return new StudyCreated("charts", new Objective("val_loss", Direction.MINIMIZE, null),
                new SearchSpace(List.of(Parameter.floating("lr", 1e-4, 0.1, true), Parameter.integer("layers", 1, 8),
                        Parameter.categorical("optimizer", List.of("adam", "sgd")))),
                new Budget(100_000, 86_400, 4), "default", 7, SHA);
    }

    ChartEvents proposed(int n) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("lr", 0.001 * (n + 1));
        parameters.put("layers", 1 + n % 8);
        parameters.put("optimizer", n % 2 == 0 ? "adam" : "sgd");
        return tell(new ProposalCreated(proposal(n), n, "evolutionary", "mutate", parameters, List.of()));
    }

    ChartEvents rejected(int n) {
        return tell(new ProposalRejected(proposal(n), "outside the search space", List.of("lr")));
    }

    ChartEvents started(int experiment, int proposal) {
        return tell(new ExperimentStarted(experiment(experiment), proposal(proposal), "local-process", SHA, 3));
    }

    ChartEvents completed(int experiment, int proposal) {
        return tell(new ExperimentCompleted(experiment(experiment), proposal(proposal),
                List.of(new RepeatResult(1, Map.of("val_loss", 0.5), 100, 0)), ResourceUsage.NONE, ""));
    }

    ChartEvents failed(int experiment, int proposal, FailureReason reason) {
        return tell(new ExperimentFailed(experiment(experiment), proposal(proposal), reason, "exit code 1",
                ResourceUsage.NONE, ""));
    }

    /** An evaluation of experiment {@code n} (of proposal {@code proposal}): mean {@code value}, interval ±0.01. */
    ChartEvents evaluated(int n, int proposal, Verdict verdict, double value) {
        return tell(new EvaluationCompleted(evaluation(n), experiment(n), proposal(proposal), verdict, "judged",
                new MetricSummary("val_loss", 3, value, 0.005, value - 0.01, value + 0.01), null,
                verdict != Verdict.INVALID, SHA));
    }

    /** The evaluation of a failed experiment: no metric summary. */
    ChartEvents evaluatedInvalid(int n, int proposal) {
        return tell(new EvaluationCompleted(evaluation(n), experiment(n), proposal(proposal), Verdict.INVALID,
                "experiment failed", null, null, false, SHA));
    }

    ChartEvents champion(int n, int proposal, Integer previous, double value) {
        return tell(new ChampionChanged(proposal(proposal), previous == null ? null : proposal(previous), evaluation(n),
                value));
    }
}
