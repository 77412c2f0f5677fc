package dev.seedloop.implementer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** {@code seedloop.implementer.executor} as an operator writes it, and the Job executor's defaults. */
class ExecutorSettingTest {

    private static ImplementerConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(Map.of(
                "seedloop.implementer.artifacts.migration.username", "owner",
                "seedloop.implementer.artifacts.migration.password", "secret"));
        all.putAll(values);
        // Quarkus's own converter reads durations such as "5m", as the running service does.
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ImplementerConfig.class)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100)).build();
        return config.getConfigMapping(ImplementerConfig.class);
    }

    @Test
    void theLocalSandboxIsTheDefault() {
        assertThat(config(Map.of()).executor()).isEqualTo(ImplementerConfig.Executor.LOCAL);
    }

    @Test
    void kubernetesJobSelectsTheJobExecutorWithItsDefaults() {
        ImplementerConfig config = config(Map.of("seedloop.implementer.executor", "kubernetes-job"));

        assertThat(config.executor()).isEqualTo(ImplementerConfig.Executor.KUBERNETES_JOB);
        ImplementerConfig.KubernetesJob jobs = config.kubernetesJob();
        assertThat(jobs.namespace()).isEmpty();
        assertThat(jobs.toolsImage()).isEmpty();
        assertThat(jobs.serviceAccount()).isEmpty();
        assertThat(jobs.cpu()).isEqualTo("1");
        assertThat(jobs.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(jobs.startTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(jobs.cleanup()).isTrue();
        assertThat(jobs.maxWorkspaceBytes()).isEqualTo(716800);
    }
}
