package dev.seedloop.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyCreated;

class BaselinesTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final UUID EVENT = UUID.fromString("0193f7c0-0000-7000-8000-0000000000b1");
    private static final String SOURCE = "0193f7c0-0000-7000-8000-00000000000a";

    private static EventEnvelope study(String strategy, Map<String, String> options) {
        EventEnvelope sample = SampleEvents.studyCreated(SOURCE);
        StudyCreated c = (StudyCreated) sample.payload();
        return sample.withPayload(new StudyCreated(c.name(), c.objective(), c.searchSpace(), c.budget(), strategy,
                c.seed(), c.specSha256(), c.workspace(), c.experiment(), c.validation(), c.protectedPaths(), options,
                c.promotion(), c.createdBy(), null));
    }

    @Test
    void anLlmStudysBaselineSamplesBestOfNOnTheSameBudgetFromTheSameStart() {
        EventEnvelope source = study("llm", Map.of("crossover-rate", "0.3", "top-k", "5"));
        EventEnvelope baseline = Baselines.decide(source, "bob", NOW, EVENT);
        StudyCreated s = (StudyCreated) source.payload();
        StudyCreated b = (StudyCreated) baseline.payload();

        assertThat(b.strategy()).isEqualTo("llm");
        assertThat(b.strategyOptions()).containsEntry("mode", "best-of-n").containsEntry("top-k", "5")
                .containsEntry("crossover-rate", "0.3");
        assertThat(b.budget()).isEqualTo(s.budget());
        assertThat(b.budget().model()).isNotNull().isEqualTo(s.budget().model());
        assertThat(b.seed()).isEqualTo(s.seed());
        assertThat(b.objective()).isEqualTo(s.objective());
        assertThat(b.searchSpace()).isEqualTo(s.searchSpace());
        assertThat(b.workspace()).isEqualTo(s.workspace());
        assertThat(b.experiment()).isEqualTo(s.experiment());
        assertThat(b.validation()).isEqualTo(s.validation());
        assertThat(b.protectedPaths()).isEqualTo(s.protectedPaths());
        assertThat(b.promotion()).isEqualTo(s.promotion());
        assertThat(b.createdBy()).isEqualTo("bob");
        assertThat(b.name()).isEqualTo(s.name() + " (baseline)");
        assertThat(b.specSha256()).isNotEqualTo(s.specSha256()).startsWith("sha256:");
        // A fork at the study's first event that inherits nothing: it starts where the study started.
        assertThat(b.origin().studyId()).isEqualTo(SOURCE);
        assertThat(b.origin().atSequence()).isEqualTo(1);
        assertThat(b.origin().proposals()).isEmpty();
        assertThat(b.origin().championProposalId()).isNull();
        assertThat(baseline.studyId()).isEqualTo(Baselines.idOf(SOURCE)).isNotEqualTo(SOURCE);
        assertThat(baseline.team()).isEqualTo(source.team());
        assertThat(baseline.eventId()).isEqualTo(EVENT);
        assertThat(baseline.occurredAt()).isEqualTo(NOW);
        assertThat(Baselines.isBaselineOf(baseline.studyId(), SOURCE)).isTrue();
        assertThat(Baselines.isBaselineOf(baseline.studyId(), baseline.studyId())).isFalse();
    }

    @Test
    void aParameterStudysBaselineSearchesAtRandom() {
        StudyCreated b = (StudyCreated) Baselines.decide(study("evolutionary", Map.of("population", "16")), "bob", NOW,
                EVENT).payload();
        assertThat(b.strategy()).isEqualTo("random");
        assertThat(b.strategyOptions()).as("the source strategy's options mean nothing to random search").isEmpty();
    }

    @Test
    void theIdIsDerivedFromTheStudysSoAStudyHasOneBaseline() {
        assertThat(Baselines.idOf(SOURCE)).isEqualTo(Baselines.idOf(SOURCE)).isNotEqualTo(Baselines.idOf(SOURCE + "x"));
        assertThat(UUID.fromString(Baselines.idOf(SOURCE)).toString()).isEqualTo(Baselines.idOf(SOURCE));
    }

    @Test
    void aBaselineHasNoBaselineAndAStudyThatRunsTheBaselinesStrategyNeedsNone() {
        EventEnvelope baseline = Baselines.decide(study("llm", Map.of()), "bob", NOW, EVENT);
        assertThatThrownBy(() -> Baselines.decide(baseline, "bob", NOW, EVENT))
                .isInstanceOf(StudyControl.Conflict.class).hasMessageContaining("is the baseline of study " + SOURCE);
        assertThatThrownBy(() -> Baselines.decide(study("llm", Map.of("mode", "best-of-n")), "bob", NOW, EVENT))
                .isInstanceOf(StudyControl.Conflict.class).hasMessageContaining("best-of-n");
        assertThatThrownBy(() -> Baselines.decide(study("random", Map.of()), "bob", NOW, EVENT))
                .isInstanceOf(StudyControl.Conflict.class).hasMessageContaining("at random");
    }

    @Test
    void aLongNameIsCutToTheSpecsBoundAndKeepsItsSuffix() {
        EventEnvelope sample = study("tpe", Map.of());
        StudyCreated c = (StudyCreated) sample.payload();
        EventEnvelope longName = sample.withPayload(new StudyCreated("n".repeat(100), c.objective(), c.searchSpace(),
                c.budget(), c.strategy(), c.seed(), c.specSha256(), c.workspace(), c.experiment(), c.validation(),
                c.protectedPaths(), c.strategyOptions(), c.promotion(), c.createdBy(), null));
        String name = ((StudyCreated) Baselines.decide(longName, "bob", NOW, EVENT).payload()).name();
        assertThat(name).hasSize(100).endsWith(" (baseline)");
    }

    @Test
    void aStrategyLabelNamesAnLlmStudysMode() {
        assertThat(Baselines.strategyLabel("llm", Map.of())).isEqualTo("llm (evolve)");
        assertThat(Baselines.strategyLabel("llm", Map.of("mode", "best-of-n"))).isEqualTo("llm (best-of-n)");
        assertThat(Baselines.strategyLabel("tpe", Map.of())).isEqualTo("tpe");
    }
}
