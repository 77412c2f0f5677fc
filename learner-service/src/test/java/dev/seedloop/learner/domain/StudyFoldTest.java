package dev.seedloop.learner.domain;

import static dev.seedloop.learner.domain.Events.proposal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.Verdict;

class StudyFoldTest {

    private final Events ev = new Events();

    @Test
    void tracksSpecCountsLineageAndChampion() {
        EventEnvelope created = ev.created(Direction.MINIMIZE, 0.01, 10, 600, 3, 7);
        StudyState s = StudyFold.replay(List.of(created,
                ev.proposed(proposal(1), 0, "random", List.of()),
                ev.proposed(proposal(2), 1, "mutate", List.of(proposal(1))),
                ev.started(proposal(1)),
                ev.completed(proposal(1), 0.3),
                ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.3),
                ev.started(proposal(2)),
                ev.failed(proposal(2)),
                ev.evaluated(proposal(2), Verdict.INVALID, null)));

        assertThat(s.status()).isEqualTo(StudyStatus.RUNNING);
        assertThat(s.createdEventId()).isEqualTo(created.eventId());
        assertThat(s.startedAt()).isEqualTo(created.occurredAt());
        assertThat(s.budget().parallelism()).isEqualTo(3);
        assertThat(s.seed()).isEqualTo(7);
        assertThat(s.proposals()).isEqualTo(2);
        assertThat(s.experimentsStarted()).isEqualTo(2);
        assertThat(s.experimentsCompleted()).isEqualTo(1);
        assertThat(s.experimentsFailed()).isEqualTo(1);
        assertThat(s.evaluations()).isEqualTo(2);
        assertThat(s.invalidEvaluations()).isEqualTo(1);
        assertThat(s.budgetUsed()).isEqualTo(2);
        assertThat(s.inFlight()).isEmpty();
        assertThat(s.bestValue()).isEqualTo(0.3);
        assertThat(s.championProposalId()).isEqualTo(proposal(1));
        assertThat(s.championHistory()).hasSize(1);
        assertThat(s.lineage().get(proposal(2)).parents()).containsExactly(proposal(1));
        assertThat(s.lineage().get(proposal(2)).operator()).isEqualTo("mutate");
        assertThat(s.eventsApplied()).isEqualTo(9);
    }

    @Test
    void archiveKeepsTheEightBestInObjectiveOrder() {
        StudyState s = StudyFold.evolve(StudyState.EMPTY, ev.created(Direction.MAXIMIZE, null, 50, 600, 3, 7));
        for (int i = 0; i < 12; i++) {
            s = StudyFold.evolve(s, ev.proposed(proposal(i), i, "random", List.of()));
            s = StudyFold.evolve(s, ev.evaluated(proposal(i), Verdict.NOT_BETTER, (double) ((i * 5) % 12)));
        }
        assertThat(s.archive()).hasSize(8);
        assertThat(s.archive().stream().map(Elite::value).toList())
                .containsExactly(11.0, 10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0);
    }

    @Test
    void pauseResumeHaltTransitions() {
        StudyState s = StudyFold.replay(List.of(ev.created(Direction.MINIMIZE, null, 5, 600, 1, 1), ev.paused()));
        assertThat(s.status()).isEqualTo(StudyStatus.PAUSED);
        s = StudyFold.evolve(s, ev.resumed());
        assertThat(s.status()).isEqualTo(StudyStatus.RUNNING);
        assertThat(s.resumes()).isEqualTo(1);
        s = StudyFold.evolve(s, ev.halted());
        s = StudyFold.evolve(s, ev.resumed());
        assertThat(s.status()).isEqualTo(StudyStatus.HALTED);
    }

    @Test
    void everySampleEventFoldsAndDuplicatesAreIgnored() {
        List<EventEnvelope> samples = List.of(SampleEvents.studyCreated(), SampleEvents.proposalCreated(),
                SampleEvents.proposalRejected(), SampleEvents.experimentStarted(), SampleEvents.experimentCompleted(),
                SampleEvents.experimentFailed(), SampleEvents.evaluationCompleted(), SampleEvents.championChanged(),
                SampleEvents.strategyUpdated(), SampleEvents.studyPaused(), SampleEvents.studyResumed(),
                SampleEvents.studyHalted(), SampleEvents.studyCompleted());
        StudyState once = StudyFold.replay(samples);
        StudyState twice = once;
        for (EventEnvelope e : samples) {
            twice = StudyFold.evolve(twice, e);
        }
        assertThat(twice).isSameAs(once);
        assertThat(once.eventsApplied()).isEqualTo(samples.size());
        assertThat(once.strategyRevision()).isEqualTo(12);
        assertThat(once.status()).isEqualTo(StudyStatus.HALTED);
        assertThat(once.championHistory()).hasSize(1);
    }
}
