package dev.seedloop.benchmarks.support;

import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.domain.StrategySettings;
import dev.seedloop.learner.domain.StudyDecider;
import dev.seedloop.learner.projection.application.JsonEncodedSize;

/** The learner's parts a benchmark runs it with: its decider, and settings for store pages and snapshots only. */
public final class BenchConfig {

    private BenchConfig() {
    }

    /** The decider the learner runs with (its StudyDeciders producer): default strategy settings, JSON sizes. */
    public static StudyDecider decider() {
        return new StudyDecider(StrategySettings.DEFAULTS, JsonEncodedSize.INSTANCE);
    }

    /** Pages of {@code pageSize} rows, a snapshot every {@code every} events of a study. */
    public static LearnerConfig learner(int every, int pageSize) {
        return new LearnerConfig() {
            @Override
            public Store store() {
                return () -> pageSize;
            }

            @Override
            public Queries queries() {
                throw new UnsupportedOperationException("the benchmarks answer no queries");
            }

            @Override
            public Snapshots snapshots() {
                return new Snapshots() {
                    @Override
                    public int every() {
                        return every;
                    }

                    @Override
                    public int maxPending() {
                        return 4;
                    }
                };
            }

            @Override
            public Restore restore() {
                throw new UnsupportedOperationException("the benchmarks never restore the store");
            }

            @Override
            public Admission admission() {
                throw new UnsupportedOperationException("the benchmarks admit no studies");
            }
        };
    }
}
