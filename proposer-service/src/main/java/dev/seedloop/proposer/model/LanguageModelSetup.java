package dev.seedloop.proposer.model;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.PostgresRecordedAnswers;
import dev.seedloop.artifacts.RecordedAnswers;
import dev.seedloop.proposer.application.LanguageModel;
import dev.seedloop.proposer.config.ModelClientConfig;
import dev.seedloop.proposer.config.ModelsConfig;
import io.quarkus.arc.DefaultBean;

/**
 * The proposer's {@link LanguageModel}: an {@link OpenAiCompatibleLanguageModel} over the models of
 * {@code seedloop.models}, which fails every call "no language model configured" when there are none (and then needs
 * neither the artifact store nor the database). With models it needs the {@link ArtifactStore} bean (whose setup
 * migrates schema {@code artifacts}, the recorded answers' table included) and {@link RecordedAnswers}: by default
 * {@link PostgresRecordedAnswers} on the proposer's datasource, the one the artifact store uses.
 *
 * <p>Models are listed by name in alphabetical order: SmallRye's configuration maps keep no order of their own, and a
 * fixed order keeps the learner's view of the models the same from one start to the next.
 */
@ApplicationScoped
public class LanguageModelSetup {

    private static final Logger LOG = Logger.getLogger(LanguageModelSetup.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    @Produces
    @Singleton
    LanguageModel languageModel(ModelsConfig models, ModelClientConfig client, Instance<ArtifactStore> store,
            Instance<RecordedAnswers> records) {
        ClientLimits limits = new ClientLimits(client.maxAttempts(), client.timeout(), client.backoffInitial(),
                client.backoffMax(), client.maxAnswerChars(), client.replayOnly());
        List<ModelEndpoint> endpoints = endpoints(models);
        if (endpoints.isEmpty()) {
            LOG.info("No language model configured (seedloop.models): llm proposals fail until one is");
            // No model, no call; the prompts are still kept when there is a store, so a failed call can be read.
            return new OpenAiCompatibleLanguageModel(List.of(), limits, store.isResolvable() ? store.get() : null,
                    null);
        }
        if (!store.isResolvable() || !records.isResolvable()) {
            throw new IllegalStateException("language models are configured but the proposer has no artifact store"
                    + " or recorded answers to keep their prompts and answers in");
        }
        endpoints.forEach(endpoint -> LOG.infof("Language model %s", endpoint));
        LOG.infof("Model client: %s", limits);
        return new OpenAiCompatibleLanguageModel(endpoints, limits, store.get(), records.get());
    }

    @Produces
    @Singleton
    @DefaultBean
    RecordedAnswers recordedAnswers(Instance<DataSource> dataSource) {
        if (!dataSource.isResolvable()) {
            throw new IllegalStateException("recorded answers need the proposer's datasource (quarkus.datasource.*)");
        }
        return new PostgresRecordedAnswers(dataSource.get());
    }

    /** The configured models, checked, in alphabetical order of their names. */
    static List<ModelEndpoint> endpoints(ModelsConfig config) {
        List<ModelEndpoint> endpoints = new ArrayList<>();
        for (Map.Entry<String, ModelsConfig.Model> entry : new TreeMap<>(config.models()).entrySet()) {
            String name = entry.getKey();
            ModelsConfig.Model model = entry.getValue();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("seedloop.models." + name
                        + ": a model's name is lower-case letters, digits and dashes");
            }
            URI baseUrl = URI.create(model.baseUrl());
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException("seedloop.models." + name + ".base-url must be an http(s) URL");
            }
            endpoints.add(new ModelEndpoint(name, model.baseUrl(), model.modelId(), apiKey(name, model),
                    model.weight(), model.priceInputPerMillionTokens(), model.priceOutputPerMillionTokens(),
                    model.maxAnswerTokens()));
        }
        return endpoints;
    }

    private static String apiKey(String name, ModelsConfig.Model model) {
        if (model.apiKey().isPresent() && model.apiKeyFile().isPresent()) {
            throw new IllegalArgumentException("seedloop.models." + name + ": set api-key or api-key-file, not both");
        }
        if (model.apiKeyFile().isPresent()) {
            try {
                String key = Files.readString(model.apiKeyFile().get()).strip();
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("seedloop.models." + name + ".api-key-file "
                            + model.apiKeyFile().get() + " is empty");
                }
                return key;
            } catch (IOException e) {
                // The path, never the content.
                throw new IllegalArgumentException("seedloop.models." + name + ".api-key-file "
                        + model.apiKeyFile().get() + " cannot be read: " + e.getClass().getSimpleName());
            }
        }
        return model.apiKey().filter(key -> !key.isBlank()).orElse(null);
    }
}
