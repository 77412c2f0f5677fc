package dev.seedloop.proposer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.proposer.config.ModelClientConfig;
import dev.seedloop.proposer.config.ModelsConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** {@code seedloop.models.*} and {@code seedloop.model-client.*} as the service reads them: defaults, keys, order. */
class LanguageModelSetupTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(ModelsConfig.class)
                .withMapping(ModelClientConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                // Quarkus's duration form ("1s"), as the service reads it.
                .withConverter(Duration.class, 200, new DurationConverter())
                .build();
    }

    @Test
    void noModelConfiguredIsAnEmptyListAndTheClientDefaultsHold() {
        SmallRyeConfig config = config(Map.of());

        assertThat(LanguageModelSetup.endpoints(config.getConfigMapping(ModelsConfig.class))).isEmpty();
        ModelClientConfig client = config.getConfigMapping(ModelClientConfig.class);
        assertThat(client.maxAttempts()).isEqualTo(4);
        assertThat(client.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(client.backoffInitial()).isEqualTo(Duration.ofSeconds(1));
        assertThat(client.backoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(client.maxAnswerChars()).isEqualTo(200_000);
        assertThat(client.replayOnly()).isFalse();
    }

    @Test
    void modelsAreReadWithTheirDefaultsAndListedByName(@TempDir Path secrets) throws Exception {
        Path keyFile = secrets.resolve("api-key");
        Files.writeString(keyFile, "  sk-from-a-secret-mount\n");
        Map<String, String> properties = new HashMap<>();
        properties.put("seedloop.models.remote.base-url", "https://api.example.com/v1");
        properties.put("seedloop.models.remote.model-id", "gpt-4o-mini");
        properties.put("seedloop.models.remote.api-key-file", keyFile.toString());
        properties.put("seedloop.models.remote.weight", "2");
        properties.put("seedloop.models.remote.price-input-per-million-tokens", "0.15");
        properties.put("seedloop.models.remote.price-output-per-million-tokens", "0.6");
        properties.put("seedloop.models.remote.max-answer-tokens", "4096");
        properties.put("seedloop.models.local.base-url", "http://127.0.0.1:11434/v1");
        properties.put("seedloop.models.local.model-id", "qwen2.5-coder:7b");

        var endpoints = LanguageModelSetup.endpoints(config(properties).getConfigMapping(ModelsConfig.class));

        assertThat(endpoints).extracting(ModelEndpoint::name).containsExactly("local", "remote");
        assertThat(endpoints.get(0)).isEqualTo(new ModelEndpoint("local", "http://127.0.0.1:11434/v1",
                "qwen2.5-coder:7b", null, 1, 0, 0, 8192));
        assertThat(endpoints.get(1)).isEqualTo(new ModelEndpoint("remote", "https://api.example.com/v1",
                "gpt-4o-mini", "sk-from-a-secret-mount", 2, 0.15, 0.6, 4096));
        assertThat(endpoints.get(1).toString()).doesNotContain("sk-from").contains("apiKey=(set)");
    }

    @Test
    void aKeyGivenTwiceOrAnUnreadableKeyFileIsRefusedWithoutShowingTheKey(@TempDir Path secrets) {
        Map<String, String> both = new HashMap<>();
        both.put("seedloop.models.m.base-url", "http://127.0.0.1:1/v1");
        both.put("seedloop.models.m.model-id", "x");
        both.put("seedloop.models.m.api-key", "sk-inline-secret");
        both.put("seedloop.models.m.api-key-file", secrets.resolve("k").toString());
        Map<String, String> missingFile = new HashMap<>(both);
        missingFile.remove("seedloop.models.m.api-key");

        assertThatThrownBy(() -> LanguageModelSetup.endpoints(config(both).getConfigMapping(ModelsConfig.class)))
                .hasMessageContaining("not both").hasMessageNotContaining("sk-inline-secret");
        assertThatThrownBy(() -> LanguageModelSetup.endpoints(
                config(missingFile).getConfigMapping(ModelsConfig.class)))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aModelNameOrBaseUrlThatCannotWorkIsRefused() {
        Map<String, String> badName = Map.of("seedloop.models.\"Big.Model\".base-url", "http://h/v1",
                "seedloop.models.\"Big.Model\".model-id", "x");
        Map<String, String> badUrl = Map.of("seedloop.models.m.base-url", "ftp://h/v1",
                "seedloop.models.m.model-id", "x");

        assertThatThrownBy(() -> LanguageModelSetup.endpoints(config(badName).getConfigMapping(ModelsConfig.class)))
                .hasMessageContaining("lower-case letters, digits and dashes");
        assertThatThrownBy(() -> LanguageModelSetup.endpoints(config(badUrl).getConfigMapping(ModelsConfig.class)))
                .hasMessageContaining("http(s)");
    }
}
