package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.learner.projection.application.StateJson;

/**
 * Simulates whole studies ({@link StudySimulation}) with reordering and redelivery, then checks that
 * folding only the stored log reproduces the live state exactly.
 */
class ReplayEqualsLiveTest {

    private static String replay(List<EventEnvelope> log) {
        LearnerState state = Deciders.DEFAULT.initial();
        for (EventEnvelope e : log) {
            state = Deciders.DEFAULT.evolve(state, e);
        }
        return StateJson.write(state);
    }

    @Test
    void replayOfTheStoredLogEqualsTheLiveState() {
        StudySimulation.Run run = new StudySimulation.Simulation(2026).run(30, 3, 424242L);

        assertThat(run.delivered().size()).isBetween(150, 400);
        assertThat(run.delivered().size()).isGreaterThan(run.stored().size());
        assertThat(run.stored().stream().filter(e -> e.payload() instanceof StudyCompleted).count()).isEqualTo(1);
        assertThat(run.stored().stream().anyMatch(e -> e.payload() instanceof StudyPaused)).isTrue();
        assertThat(run.stored().stream().anyMatch(e -> e.payload() instanceof StudyResumed)).isTrue();
        assertThat(run.liveJson()).contains("\"status\":\"COMPLETED\"").contains("\"completionReason\":\"budget-exhausted\"");

        assertThat(replay(run.stored())).isEqualTo(run.liveJson());
        // Replaying the raw deliveries, duplicates included, lands in the same place.
        assertThat(replay(run.delivered())).isEqualTo(run.liveJson());
    }

    @Test
    void replayOfAManualPromotionStudyEqualsTheLiveState() {
        StudySimulation.Run run = new StudySimulation.Simulation(2027, PromotionPolicy.MANUAL).run(30, 3, 4242L);

        assertThat(run.stored()).anyMatch(e -> e.payload() instanceof PromotionApproved)
                .anyMatch(e -> e.payload() instanceof PromotionRejected)
                .anyMatch(e -> e.payload() instanceof ChampionChanged && e.producer().equals(Services.EVALUATOR));
        assertThat(run.liveJson()).contains("\"approvedBy\":\"approver\"").contains("\"action\":\"rejected\"");

        assertThat(replay(run.stored())).isEqualTo(run.liveJson());
        assertThat(replay(run.delivered())).isEqualTo(run.liveJson());
    }

    @Test
    void theSameSeedsGiveTheSameStudy() {
        StudySimulation.Run a = new StudySimulation.Simulation(7).run(20, 2, 99L);
        StudySimulation.Run b = new StudySimulation.Simulation(7).run(20, 2, 99L);
        assertThat(b.liveJson()).isEqualTo(a.liveJson());
        assertThat(b.stored()).isEqualTo(a.stored());
    }
}
