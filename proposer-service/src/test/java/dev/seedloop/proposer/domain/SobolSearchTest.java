package dev.seedloop.proposer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.SearchSpace;

class SobolSearchTest {

    private static final SearchSpace UNIT_2D = cube(2);

    @Test
    void the256FirstPointsFillEveryCellOfA16By16GridUnlikeRandom() {
        for (long seed : new long[]{1, 2, 3}) {
            int sobol = occupiedCells(SobolSearch.INSTANCE, seed);
            int random = occupiedCells(RandomSearch.INSTANCE, seed);
            // A (0, 8, 2)-net puts exactly one point in each 1/16 x 1/16 box; random fills about 1 - 1/e.
            assertThat(sobol).isEqualTo(256);
            assertThat(random).isLessThan(200);
        }
    }

    @Test
    void everyAxisOfA20DimensionalDesignIsStratified() {
        SearchSpace space = cube(20);
        List<Candidate> points = SobolSearch.INSTANCE.propose(StrategyInput.initial(space, Direction.MINIMIZE, 4), 64);
        for (Parameter p : space.parameters()) {
            boolean[] bins = new boolean[64];
            for (Candidate c : points) {
                bins[(int) ((Double) c.parameters().get(p.name()) * 64)] = true;
            }
            for (boolean hit : bins) {
                assertThat(hit).as("each of 64 bins of " + p.name() + " holds a point").isTrue();
            }
        }
    }

    @Test
    void moreDimensionsThanTheTableStillGiveValidPoints() {
        SearchSpace space = cube(SobolSearch.MAX_DIMS + 3);
        List<Candidate> points = SobolSearch.INSTANCE.propose(StrategyInput.initial(space, Direction.MINIMIZE, 4), 10);
        points.forEach(c -> c.parameters().values().forEach(v -> assertThat((Double) v).isBetween(0.0, 1.0)));
    }

    private static int occupiedCells(Strategy strategy, long seed) {
        List<Candidate> points = strategy.propose(StrategyInput.initial(UNIT_2D, Direction.MINIMIZE, seed), 256);
        boolean[][] cells = new boolean[16][16];
        int occupied = 0;
        for (Candidate c : points) {
            int i = (int) ((Double) c.parameters().get("x1") * 16);
            int j = (int) ((Double) c.parameters().get("x2") * 16);
            if (!cells[i][j]) {
                cells[i][j] = true;
                occupied++;
            }
        }
        return occupied;
    }

    private static SearchSpace cube(int dims) {
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 1; i <= dims; i++) {
            parameters.add(Parameter.floating("x" + i, 0, Math.nextDown(1.0), false));
        }
        return new SearchSpace(parameters);
    }
}
