package dev.seedloop.learner.query.domain.charts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChartsHeadsTest {

    private static final String STUDY = ChartEvents.STUDY;

    @Test
    void aKeptBuilderContinuesAtItsSequenceAndIsHandedToOneAnswerAtATime() {
        ChartsHeads heads = new ChartsHeads(4);
        ChartEvents s = new ChartEvents().created().proposed(1).proposed(2);
        heads.keep(STUDY, s.builder);

        ChartsHeads.Start first = heads.start(STUDY, 9);
        ChartsHeads.Start second = heads.start(STUDY, 9);

        assertThat(first.builder()).isSameAs(s.builder);
        assertThat(first.after()).isEqualTo(3);
        assertThat(second.builder()).isNotSameAs(s.builder);
        assertThat(second.after()).isZero();
    }

    @Test
    void anAnswerBeforeTheKeptSequenceStartsAfreshAndLeavesTheKeptOne() {
        ChartsHeads heads = new ChartsHeads(4);
        ChartEvents s = new ChartEvents().created().proposed(1).proposed(2);
        heads.keep(STUDY, s.builder);

        ChartsHeads.Start earlier = heads.start(STUDY, 2);
        heads.keep(STUDY, earlier.builder());

        assertThat(earlier.after()).isZero();
        assertThat(heads.start(STUDY, 3).builder()).as("the further one stays").isSameAs(s.builder);
    }

    @Test
    void theLeastRecentlyAnsweredStudyIsDroppedBeyondTheCapacityAndZeroKeepsNone() {
        ChartsHeads heads = new ChartsHeads(2);
        for (String study : new String[] {"a", "b", "c"}) {
            heads.keep(study, new ChartsBuilder(study));
        }

        assertThat(heads.size()).isEqualTo(2);
        assertThat(heads.start("a", 0).builder().build(10).studyId()).isEqualTo("a");
        assertThat(heads.size()).as("a was not kept: nothing taken out").isEqualTo(2);

        ChartsHeads none = new ChartsHeads(0);
        none.keep("a", new ChartsBuilder("a"));
        assertThat(none.size()).isZero();
    }
}
