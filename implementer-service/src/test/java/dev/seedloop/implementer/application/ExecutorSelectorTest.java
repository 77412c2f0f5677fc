package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.RunLimits;
import dev.seedloop.implementer.domain.RunRequest;

class ExecutorSelectorTest {

    @Test
    void picksBubblewrapWhenItWorks() {
        Fixtures.bubblewrap();
        assertThat(ExecutorSelector.select(false).name()).isEqualTo("bubblewrap");
        assertThat(ExecutorSelector.select(true).name()).isEqualTo("bubblewrap");
    }

    @Test
    void refusingExecutorExplainsHowToFixIt() {
        RawRun run = new RefusingExecutor(ExecutorSelector.REFUSAL)
                .run(new RunRequest(Path.of("/tmp"), List.of("true"), Map.of(), RunLimits.defaults()));
        assertThat(run.wasRefused()).isTrue();
        assertThat(run.refusal()).contains("apt-get install bubblewrap", "seedloop.implementer.allow-unsandboxed=true");
    }

    @Test
    void withoutWritableCgroupsRunsAreRefusedUnlessTheOperatorAcceptsPerProcessLimits() throws Exception {
        Fixtures.bubblewrap();
        ControlGroups.Result none = ControlGroups.open(Path.of("/nonexistent-cgroup-root"), "seedloop-test");
        DiskVolumes.Result volumes = new DiskVolumes.Result(null, "no volumes in this test");
        assertThat(none.available()).isEmpty();
        assertThat(none.problem()).contains("/nonexistent-cgroup-root/memory");

        ExperimentExecutor refusing = ExecutorSelector.select(false, false, none, volumes);
        RawRun run = refusing.run(new RunRequest(Path.of("/tmp"), List.of("true"), Map.of(), RunLimits.defaults()));
        assertThat(run.wasRefused()).isTrue();
        assertThat(run.refusal()).contains("whole-experiment memory and process limits", "/nonexistent-cgroup-root",
                "the disk quota", ExecutorSelector.ALLOW_PER_PROCESS_LIMITS_SETTING + "=true");

        ExperimentExecutor allowed = ExecutorSelector.select(false, true, none, volumes);
        assertThat(allowed).isInstanceOfSatisfying(BubblewrapExecutor.class,
                bwrap -> assertThat(bwrap.limitsWholeRuns()).isFalse());
        assertThat(ExecutorSelector.select(false, false, ControlGroups.open(Path.of("/sys/fs/cgroup"),
                "seedloop-implementer-tests"), DiskVolumes.open(Files.createDirectories(Path.of("target",
                "selector-volumes")).toAbsolutePath()))).isInstanceOfSatisfying(BubblewrapExecutor.class,
                bwrap -> assertThat(bwrap.limitsWholeRuns()).isTrue());
    }
}
