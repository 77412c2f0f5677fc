package dev.seedloop.learner.domain;

import static dev.seedloop.learner.domain.Events.proposal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Verdict;

class StrategyFoldTest {

    private static List<EventEnvelope> stream(long seed) {
        Events ev = new Events();
        List<EventEnvelope> events = new java.util.ArrayList<>();
        events.add(ev.created(Direction.MINIMIZE, null, 100, 3600, 2, seed));
        double best = 1.0;
        for (int i = 0; i < 12; i++) {
            String op = i % 3 == 0 ? "mutate" : i % 3 == 1 ? "crossover" : "random";
            events.add(ev.proposed(proposal(i), i, op, List.of()));
            boolean wins = op.equals("mutate");
            best = wins ? best - 0.05 : best;
            events.add(ev.evaluated(proposal(i), wins ? Verdict.NEW_CHAMPION : Verdict.NOT_BETTER, wins ? best : 2.0));
        }
        return events;
    }

    private static LearnerFixture fold(List<EventEnvelope> events, StrategySettings settings) {
        LearnerFixture f = new LearnerFixture(settings);
        f.given(events.toArray(EventEnvelope[]::new));
        return f;
    }

    @Test
    void creditsTheOperatorThatImproved() {
        StrategyState s = fold(stream(42), StrategySettings.DEFAULTS).strategy;
        assertThat(s.posteriors().get("mutate")).isEqualTo(new BetaPosterior(5, 1));
        assertThat(s.posteriors().get("crossover")).isEqualTo(new BetaPosterior(1, 5));
        assertThat(s.posteriors().get("random")).isEqualTo(new BetaPosterior(1, 5));
        assertThat(s.operatorWeights().get("mutate")).isGreaterThan(0.9);
        assertThat(s.operatorWeights().get("random")).isPositive();
        assertThat(s.updates()).isEqualTo(12);
    }

    @Test
    void weightsAreDeterministicForTheSameStreamAndVaryWithTheSeed() {
        Map<String, Double> a = fold(stream(42), StrategySettings.DEFAULTS).strategy.operatorWeights();
        Map<String, Double> b = fold(stream(42), StrategySettings.DEFAULTS).strategy.operatorWeights();
        Map<String, Double> c = fold(stream(43), StrategySettings.DEFAULTS).strategy.operatorWeights();
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void betterMeanWithoutPromotionStillCountsAsImprovement() {
        Events ev = new Events();
        LearnerFixture f = new LearnerFixture();
        f.given(ev.created(Direction.MAXIMIZE, null, 10, 3600, 1, 1),
                ev.proposed(proposal(1), 0, "random", List.of()),
                ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.5),
                ev.proposed(proposal(2), 1, "mutate", List.of(proposal(1))),
                ev.evaluated(proposal(2), Verdict.NOT_BETTER, 0.51));
        assertThat(f.strategy.improved()).isTrue();
        assertThat(f.strategy.posteriors().get("mutate")).isEqualTo(new BetaPosterior(2, 1));
    }

    @Test
    void stagnationRestartsThePosteriors() {
        Events ev = new Events();
        LearnerFixture f = new LearnerFixture(new StrategySettings(new BetaPosterior(1, 1), 3, 200,
                List.of("mutate", "random")));
        f.given(ev.created(Direction.MINIMIZE, null, 20, 3600, 1, 9),
                ev.proposed(proposal(0), 0, "random", List.of()),
                ev.evaluated(proposal(0), Verdict.NEW_CHAMPION, 1.0));
        for (int i = 1; i <= 2; i++) {
            f.given(ev.proposed(proposal(i), i, "mutate", List.of()), ev.evaluated(proposal(i), Verdict.NOT_BETTER, 2.0));
        }
        assertThat(f.strategy.stagnation()).isEqualTo(2);
        assertThat(f.strategy.posteriors().get("mutate")).isEqualTo(new BetaPosterior(1, 3));
        f.given(ev.proposed(proposal(3), 3, "mutate", List.of()));
        var out = f.when(ev.evaluated(proposal(3), Verdict.INVALID, null), Events.T0);

        assertThat(f.strategy.restarted()).isTrue();
        assertThat(f.strategy.restarts()).isEqualTo(1);
        assertThat(f.strategy.stagnation()).isZero();
        assertThat(f.strategy.posteriors()).containsOnly(Map.entry("mutate", new BetaPosterior(1, 1)),
                Map.entry("random", new BetaPosterior(1, 1)));
        assertThat(((dev.seedloop.events.StrategyUpdated) out.get(0).payload()).reason()).contains("restart=true");
    }

    @Test
    void newOperatorsBecomeArms() {
        Events ev = new Events();
        LearnerFixture f = new LearnerFixture();
        f.given(ev.created(Direction.MINIMIZE, null, 20, 3600, 1, 9), ev.proposed(proposal(0), 0, "sobol", List.of()));
        assertThat(f.strategy.posteriors()).containsKeys("sobol", "mutate", "crossover", "random");
    }
}
