package dev.seedloop.benchmarks.replay;

import java.util.List;
import java.util.Map;

import dev.seedloop.events.Budget;
import dev.seedloop.events.Direction;
import dev.seedloop.events.ExperimentLimits;
import dev.seedloop.events.ExperimentSpec;
import dev.seedloop.events.ModelBudget;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.SearchSpace;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.ValidationSpec;
import dev.seedloop.events.WorkspaceRef;

/**
 * The sample study that {@link SyntheticStudy} runs: the events module's {@code SampleEvents.studyCreated()}, whose
 * figures docs/benchmarks.md quotes. That one lives in the events module's test code, which no command runs, so its
 * spec is restated here; {@code SampleStudyTest} holds the two equal, so the benchmark's study cannot drift from it.
 */
final class SampleStudy {

    static final String TEAM = "optimisation-lab";

    private SampleStudy() {
    }

    /** The sample's spec; without the sample's fork origin, which the synthetic study drops anyway. */
    static StudyCreated spec() {
        return new StudyCreated("resnet-lr-sweep",
                new Objective("val_loss", Direction.MINIMIZE, 0.05),
                new SearchSpace(List.of(
                        Parameter.floating("learning_rate", 1.0E-5, 0.1, true),
                        Parameter.integer("batch_size", 16, 256),
                        Parameter.categorical("optimizer", List.of("adam", "sgd", "adamw")))),
                new Budget(40, 7200, 2, new ModelBudget(200L, null, 25.0)), "evolutionary", 424242L,
                "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                WorkspaceRef.ofTree("sha256:5d2c9e0a4f7a2b6c1e8d3f90a7b4c6e2d1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6"),
                new ExperimentSpec(List.of("python3", "train.py", "--epochs", "20"), Map.of("OMP_NUM_THREADS", "1"),
                        900L, 3, new ExperimentLimits(600L, 2048L, 64, 1_048_576L), null),
                new ValidationSpec(List.of("python3", "-m", "pytest", "-q", "tests"),
                        List.of("python3", "heldout.py"), "heldout_loss", 0.02,
                        "sha256:0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d"),
                List.of("tests/", "heldout.py", "evaluate.py"), Map.of("population", "16"),
                PromotionPolicy.MANUAL, "alice-researcher", null);
    }
}
