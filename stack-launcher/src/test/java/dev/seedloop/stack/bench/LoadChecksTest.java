package dev.seedloop.stack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyCompleted;

/**
 * The load's checks of one study's stream and the stage latencies, on streams made here: a whole one passes, and
 * each way of losing, duplicating or mixing events is named.
 */
class LoadChecksTest {

    private static final String STUDY = SampleEvents.STUDY_ID;
    private static final String TEAM = SampleEvents.TEAM;
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
    private static final LoadRun.Plan ONE = new LoadRun.Plan(1, 1, 1, Duration.ofMinutes(1));

    private static EventEnvelope at(long millis, UUID cause, EventPayload payload) {
        return new EventEnvelope(UUID.randomUUID(), STUDY, TEAM, T0.plusMillis(millis), cause, UUID.randomUUID(),
                "test", payload);
    }

    /** created, started, completed, evaluated, asked for more, the next proposal, completed: with causes. */
    private static List<EventEnvelope> oneExperiment() {
        EventEnvelope created = at(0, null, SampleEvents.studyCreated().payload());
        EventEnvelope proposal = at(100, created.eventId(), SampleEvents.proposalCreated().payload());
        EventEnvelope started = at(110, proposal.eventId(), SampleEvents.experimentStarted().payload());
        EventEnvelope ended = at(130, started.eventId(), SampleEvents.experimentCompleted().payload());
        EventEnvelope evaluated = at(135, ended.eventId(), SampleEvents.evaluationCompleted().payload());
        EventEnvelope request = at(140, evaluated.eventId(), SampleEvents.strategyUpdated().payload());
        EventEnvelope next = at(147, request.eventId(), new ProposalCreated(UUID.randomUUID(), 2, "random", "sample",
                Map.of("x", 0.5), List.of(), List.of(), null));
        return List.of(created, proposal, started, ended, evaluated, request, next);
    }

    private static List<String> problems(List<EventEnvelope> events) {
        List<StudyEvents.Stored> stored = new ArrayList<>();
        for (EventEnvelope event : events) {
            stored.add(new StudyEvents.Stored(stored.size() + 1, event));
        }
        List<String> problems = new ArrayList<>();
        LoadRun.checkStream(STUDY, TEAM, stored, ONE, problems);
        return problems;
    }

    /** The study of {@link #oneExperiment()} without its second proposal, ended by its budget. */
    private static List<EventEnvelope> whole() {
        List<EventEnvelope> events = new ArrayList<>(oneExperiment().subList(0, 5));
        events.add(at(200, null, new StudyCompleted("budget", null, null, 1)));
        return events;
    }

    @Test
    void aWholeStreamPasses() {
        assertThat(problems(whole())).isEmpty();
    }

    @Test
    void aDuplicatedStartAndAStoredTwiceEventAreNamed() {
        List<EventEnvelope> events = new ArrayList<>(whole());
        events.add(3, at(111, null, SampleEvents.experimentStarted().payload()));
        events.add(events.get(1));

        assertThat(problems(events)).anyMatch(p -> p.contains("2 ExperimentStarted for proposal"))
                .anyMatch(p -> p.contains("stored twice"));
    }

    @Test
    void aLostEvaluationAndALostCompletionAreNamed() {
        List<EventEnvelope> events = new ArrayList<>(whole());
        events.remove(4);
        events.remove(events.size() - 1);

        assertThat(problems(events)).anyMatch(p -> p.contains("no EvaluationCompleted for 1 proposals"))
                .anyMatch(p -> p.contains("0 StudyCompleted"));
    }

    @Test
    void anotherStudysEventOnTheStreamIsNamed() {
        List<EventEnvelope> events = new ArrayList<>(whole());
        events.add(2, at(105, null, SampleEvents.proposalCreated().payload()).withStudyAndTeam("other-study", "team-b"));

        assertThat(problems(events)).anyMatch(p -> p.contains("belongs to study other-study of team-b"));
    }

    @Test
    void anOutcomeForAProposalTheStudyNeverMadeIsNamed() {
        List<EventEnvelope> events = new ArrayList<>(whole());
        ExperimentFailed sample = (ExperimentFailed) SampleEvents.experimentFailed().payload();
        events.add(5, at(150, null, new ExperimentFailed(UUID.randomUUID(), UUID.randomUUID(), FailureReason.TIMEOUT,
                "late", sample.usage(), "")));

        assertThat(problems(events)).anyMatch(p -> p.contains("which the study never made"))
                .anyMatch(p -> p.contains("1 trivial experiments failed"));
    }

    @Test
    void eachStageIsTheTimeBetweenItsTwoEventsFollowingCauses() {
        StageLatencies latencies = new StageLatencies();
        latencies.add(oneExperiment());

        assertThat(latencies.stage(StageLatencies.PROPOSED_TO_STARTED).values()).containsExactly(10.0);
        assertThat(latencies.stage(StageLatencies.STARTED_TO_ENDED).values()).containsExactly(20.0);
        assertThat(latencies.stage(StageLatencies.ENDED_TO_EVALUATED).values()).containsExactly(5.0);
        assertThat(latencies.stage(StageLatencies.EVALUATED_TO_REQUESTED).values()).containsExactly(5.0);
        assertThat(latencies.stage(StageLatencies.REQUESTED_TO_PROPOSED).values()).containsExactly(7.0);
        assertThat(latencies.stage(StageLatencies.ENDED_TO_NEXT_PROPOSAL).values()).containsExactly(17.0);
    }

    @Test
    void percentilesAreNearestRank() {
        Samples samples = new Samples();
        for (int i = 1; i <= 200; i++) {
            samples.add(i);
        }
        assertThat(samples.percentile(50)).isEqualTo(100.0);
        assertThat(samples.percentile(99)).isEqualTo(198.0);
        assertThat(new Samples().percentile(50)).isNaN();
    }
}
