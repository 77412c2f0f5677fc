package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.ResourceLimits;
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
                .run(new RunRequest(Path.of("/tmp"), List.of("true"), Map.of(), ResourceLimits.defaults()));
        assertThat(run.wasRefused()).isTrue();
        assertThat(run.refusal()).contains("apt-get install bubblewrap", "seedloop.implementer.allow-unsandboxed=true");
    }
}
