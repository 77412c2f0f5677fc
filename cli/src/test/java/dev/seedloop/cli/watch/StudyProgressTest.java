package dev.seedloop.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Budget;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;

class StudyProgressTest {

    private static final UUID FIRST = UUID.fromString("0193e1a0-0001-7000-8000-000000000001");
    private static final UUID SECOND = UUID.fromString("0193e1a0-0002-7000-8000-000000000002");
    private static final UUID THIRD = UUID.fromString("0193e1a0-0003-7000-8000-000000000003");

    /**
     * The learner completes a study on the evaluation that spends its budget; the experiment's own completion travels
     * on another topic and may be stored after the study's end, where a watch never reads it. The last progress line
     * must still say the budget is spent (CliEndToEndIT saw "2/3" then "Study completed ... after 3 experiments").
     */
    @Test
    void theLastEvaluationAndTheCompletionTogetherStillShowTheWholeBudgetSpent() {
        StudyProgress progress = new StudyProgress();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WatchDisplay display = new WatchDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        for (EventEnvelope event : List.of(created(3), experiment(FIRST), evaluation(FIRST), experiment(SECOND),
                evaluation(SECOND), evaluation(THIRD), completed(3))) {
            progress.apply(event);
            display.show(progress);
        }

        assertThat(progress.finished()).isTrue();
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList().getLast())
                .startsWith("  experiments 3/3 |");
    }

    @Test
    void anExperimentAndItsEvaluationCountOnceWhicheverComesFirst() {
        StudyProgress progress = new StudyProgress();
        progress.apply(created(3));
        progress.apply(evaluation(FIRST));
        progress.apply(experiment(FIRST));
        progress.apply(experiment(SECOND));
        progress.apply(evaluation(SECOND));

        assertThat(progress.line()).startsWith("experiments 2/3 |");
    }

    private static EventEnvelope created(int maxExperiments) {
        StudyCreated sample = (StudyCreated) SampleEvents.studyCreated().payload();
        return at(new StudyCreated(sample.name(), sample.objective(), sample.searchSpace(),
                new Budget(maxExperiments, 7200, 1), sample.strategy(), sample.seed(), sample.specSha256(),
                sample.workspace(), sample.experiment(), sample.validation(), sample.protectedPaths(),
                sample.strategyOptions(), sample.promotion(), sample.createdBy(), null));
    }

    private static EventEnvelope experiment(UUID proposalId) {
        ExperimentCompleted sample = (ExperimentCompleted) SampleEvents.experimentCompleted().payload();
        return at(new ExperimentCompleted(UUID.randomUUID(), proposalId, sample.repeats(), sample.usage(),
                sample.logTail(), sample.validation(), sample.heldOutValue(), sample.tree()));
    }

    private static EventEnvelope evaluation(UUID proposalId) {
        EvaluationCompleted sample = (EvaluationCompleted) SampleEvents.evaluationCompleted().payload();
        return at(new EvaluationCompleted(UUID.randomUUID(), UUID.randomUUID(), proposalId, sample.verdict(),
                sample.reason(), sample.summary(), sample.pValue(), sample.validationPassed(), sample.evaluatorSha256()));
    }

    private static EventEnvelope completed(int experimentsRun) {
        return at(new StudyCompleted("budget-exhausted", null, null, experimentsRun));
    }

    private static EventEnvelope at(EventPayload payload) {
        EventEnvelope sample = SampleEvents.studyCreated();
        return new EventEnvelope(UUID.randomUUID(), sample.studyId(), sample.team(), sample.occurredAt(), null,
                sample.correlationId(), sample.producer(), payload);
    }
}
