package dev.seedloop.benchmarks.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyCreated;

/** The replay benchmark's study is the events module's sample study, as docs/benchmarks.md says it is. */
class SampleStudyTest {

    @Test
    void theBenchmarksSpecIsTheSampleStudysWithoutItsOrigin() {
        StudyCreated sample = (StudyCreated) SampleEvents.studyCreated().payload();
        StudyCreated withoutOrigin = new StudyCreated(sample.name(), sample.objective(), sample.searchSpace(),
                sample.budget(), sample.strategy(), sample.seed(), sample.specSha256(), sample.workspace(),
                sample.experiment(), sample.validation(), sample.protectedPaths(), sample.strategyOptions(),
                sample.promotion(), sample.createdBy(), null);

        assertThat(SampleStudy.spec()).isEqualTo(withoutOrigin);
        assertThat(SampleStudy.TEAM).isEqualTo(SampleEvents.TEAM);
    }
}
