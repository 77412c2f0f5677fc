package dev.seedloop.proposer.application;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.BlobRef;
import io.quarkus.arc.DefaultBean;

/**
 * The {@link LanguageModel} of a proposer without a model client: it knows no model and answers every call with a
 * failure, so an llm study's proposals are rejected with that reason (and the call is still an event, its prompt
 * stored) while the service runs. The model client's bean (package {@code model}) replaces it.
 */
@DefaultBean
@ApplicationScoped
public class UnconfiguredLanguageModel implements LanguageModel {

    static final String FAILURE = "no language model configured (seedloop.models...)";

    @Inject
    ArtifactStore store;

    @Override
    public Map<String, Double> models() {
        return Map.of();
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        String prompt = request.system() + "\n\n" + request.user();
        BlobRef stored = store.putBlob(prompt.getBytes(StandardCharsets.UTF_8));
        return new ModelReply(null, stored.hash(), stored.size(), null, 0, 0, 0, 0, 0, 0, false, FAILURE);
    }
}
