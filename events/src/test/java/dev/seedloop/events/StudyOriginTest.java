package dev.seedloop.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StudyOriginTest {

    private static final SearchSpace SPACE = new SearchSpace(List.of(
            Parameter.floating("lr", 1.0E-4, 0.1, true),
            Parameter.integer("layers", 1, 8),
            Parameter.categorical("optimizer", List.of("adam", "sgd"))));

    private static Map<String, Object> point(Object lr, Object layers, Object optimizer) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lr", lr);
        p.put("layers", layers);
        p.put("optimizer", optimizer);
        return p;
    }

    @Test
    void aSearchSpaceAdmitsOnlyPointsWithAnAdmissibleValueForEveryParameter() {
        assertThat(SPACE.admits(point(0.01, 3, "adam"))).isTrue();
        assertThat(SPACE.admits(point(0.1, 8L, "sgd"))).as("bounds are inclusive, any integral number").isTrue();
        assertThat(SPACE.admits(point(0.2, 3, "adam"))).as("above high").isFalse();
        assertThat(SPACE.admits(point(0.01, 3.5, "adam"))).as("not whole").isFalse();
        assertThat(SPACE.admits(point(0.01, 3, "rmsprop"))).as("not a choice").isFalse();
        assertThat(SPACE.admits(point("0.01", 3, "adam"))).as("a string for a number").isFalse();
        assertThat(SPACE.admits(point(Double.NaN, 3, "adam"))).isFalse();
        Map<String, Object> missing = point(0.01, 3, "adam");
        missing.remove("layers");
        assertThat(SPACE.admits(missing)).as("a parameter without a value").isFalse();
        Map<String, Object> extra = point(0.01, 3, "adam");
        extra.put("dropout", 0.5);
        assertThat(SPACE.admits(extra)).as("keys of parameters the space no longer has are ignored").isTrue();
    }

    @Test
    void anOriginHoldsAtMostTheInheritanceLimit() {
        List<StudyOrigin.Proposal> many = new ArrayList<>();
        for (int i = 0; i <= StudyOrigin.MAX_INHERITED; i++) {
            many.add(new StudyOrigin.Proposal(UUID.randomUUID(), i, "random", List.of(), point(0.01, 1, "adam"),
                    Verdict.NOT_BETTER, 1.0));
        }
        assertThatThrownBy(() -> new StudyOrigin("source", 10, null, null, many, 0))
                .hasMessageContaining("at most " + StudyOrigin.MAX_INHERITED);
        assertThat(new StudyOrigin("source", 10, null, null, many.subList(1, many.size()), 1).proposals())
                .hasSize(StudyOrigin.MAX_INHERITED);
        assertThatThrownBy(() -> new StudyOrigin("source", 0, null, null, List.of(), 0))
                .hasMessageContaining("atSequence");
    }

    @Test
    void anInheritedProposalIsSeenAsAnObservation() {
        StudyOrigin.Proposal p = SampleEvents.studyOrigin().proposals().get(1);
        Observation o = p.observation();
        assertThat(o.proposalId()).isEqualTo(p.proposalId());
        assertThat(o.parameters()).isEqualTo(p.parameters());
        assertThat(o.value()).isEqualTo(0.118);
        assertThat(o.operator()).isEqualTo("mutate");
    }
}
