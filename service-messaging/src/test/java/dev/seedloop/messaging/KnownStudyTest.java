package dev.seedloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.messaging.StudyDirectory.Status;

/** An imported study's status is its imported history, then the live events, however the two topics interleave. */
class KnownStudyTest {

    private static final EventEnvelope CREATED = SampleEvents.studyCreated(SampleEvents.newStudyId());
    private static final StudyCreated SPEC = (StudyCreated) CREATED.payload();

    @Test
    void aLiveResumeReadBeforeTheImportedPauseStillWins() {
        KnownStudy importFirst = KnownStudy.NOTHING.created(CREATED, SPEC, true).importedStatus(Status.PAUSED)
                .liveStatus(Status.ACTIVE);
        KnownStudy liveFirst = KnownStudy.NOTHING.liveStatus(Status.ACTIVE).created(CREATED, SPEC, true)
                .importedStatus(Status.PAUSED);

        assertThat(importFirst.status()).isEqualTo(Status.ACTIVE);
        assertThat(liveFirst.status()).isEqualTo(Status.ACTIVE);
    }

    @Test
    void anImportedPausedStudyStaysPausedUntilResumedHere() {
        assertThat(KnownStudy.NOTHING.created(CREATED, SPEC, true).importedStatus(Status.PAUSED).status())
                .isEqualTo(Status.PAUSED);
    }

    @Test
    void finalStatesStayFinalOnEitherSide() {
        assertThat(KnownStudy.NOTHING.liveStatus(Status.ACTIVE).created(CREATED, SPEC, true)
                .importedStatus(Status.COMPLETED).status()).as("imported completed, resumed here").isEqualTo(Status.COMPLETED);
        assertThat(KnownStudy.NOTHING.created(CREATED, SPEC, false).liveStatus(Status.HALTED)
                .liveStatus(Status.ACTIVE).status()).as("halted, then a late resume").isEqualTo(Status.HALTED);
        assertThat(KnownStudy.NOTHING.created(CREATED, SPEC, true).importedStatus(Status.HALTED)
                .importedStatus(Status.ACTIVE).status()).isEqualTo(Status.HALTED);
    }

    @Test
    void aLiveStudyFollowsItsOwnEventsAndIsUnknownUntilCreated() {
        assertThat(KnownStudy.NOTHING.liveStatus(Status.PAUSED).created()).isNull();
        assertThat(KnownStudy.NOTHING.created(CREATED, SPEC, false).liveStatus(Status.PAUSED).status())
                .isEqualTo(Status.PAUSED);
        assertThat(KnownStudy.NOTHING.created(CREATED, SPEC, false).status()).isEqualTo(Status.ACTIVE);
    }
}
