package dev.seedloop.proposer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.InMemoryArtifactStore;
import dev.seedloop.artifacts.InMemoryRecordedAnswers;
import dev.seedloop.artifacts.RecordedAnswers;
import dev.seedloop.proposer.application.LanguageModel;
import dev.seedloop.proposer.application.ModelReply;
import dev.seedloop.proposer.application.ModelRequest;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.ScriptedChatServer;
import dev.seedloop.testsupport.ScriptedChatServer.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The service's {@link LanguageModel} bean as {@code seedloop.models} configures it, against a scripted server: the
 * settings reach the client and a repeated question is answered from the record. The stores are in memory here (the
 * PostgreSQL ones have their own tests in module artifacts).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@TestProfile(LanguageModelWiringTest.ScriptedModels.class)
class LanguageModelWiringTest {

    @Inject
    LanguageModel languageModel;

    @Test
    void theConfiguredModelAnswersAndARepeatedQuestionComesFromTheRecord() {
        ScriptedChatServer server = ScriptedModelServer.server;
        server.enqueue(Reply.answer("wired", 1_000_000, 500_000));
        int before = server.requestCount();
        ModelRequest request = new ModelRequest("team-a", "scripted", "system", "user", 64, 0.2, "seed/0");

        ModelReply first = languageModel.complete(request);
        ModelReply again = languageModel.complete(request);

        assertThat(languageModel.models()).containsExactly(Map.entry("scripted", 2.0));
        assertThat(first.text()).as(first.failure()).isEqualTo("wired");
        assertThat(first.costUsd()).isEqualTo(1.0 + 1.5);
        assertThat(again.replayed()).isTrue();
        assertThat(server.requestCount()).isEqualTo(before + 1);
        ScriptedChatServer.ChatCall call = server.requests().getLast();
        assertThat(call.model()).isEqualTo("scripted-v1");
        assertThat(call.authorization()).isEqualTo("Bearer sk-wiring");
        assertThat(call.maxTokens()).isEqualTo(32);
    }

    /** The models of this test and the in-memory stores. */
    public static final class ScriptedModels implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ScriptedModelServer.class));
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(InMemoryStores.class);
        }
    }

    /** Starts the scripted server and points {@code seedloop.models.scripted} at it. */
    public static final class ScriptedModelServer implements QuarkusTestResourceLifecycleManager {

        static ScriptedChatServer server;

        @Override
        public Map<String, String> start() {
            server = ScriptedChatServer.start();
            return Map.of(
                    "seedloop.models.scripted.base-url", server.baseUrl(),
                    "seedloop.models.scripted.model-id", "scripted-v1",
                    "seedloop.models.scripted.api-key", "sk-wiring",
                    "seedloop.models.scripted.weight", "2",
                    "seedloop.models.scripted.price-input-per-million-tokens", "1",
                    "seedloop.models.scripted.price-output-per-million-tokens", "3",
                    "seedloop.models.scripted.max-answer-tokens", "32",
                    "seedloop.model-client.backoff-initial", "10ms");
        }

        @Override
        public void stop() {
            server.close();
        }
    }

    /** In-memory stores in place of the service's, for this profile only. */
    @Alternative
    @ApplicationScoped
    public static class InMemoryStores {

        @Produces
        @Singleton
        ArtifactStore artifactStore() {
            return new InMemoryArtifactStore();
        }

        @Produces
        @Singleton
        RecordedAnswers recordedAnswers() {
            return new InMemoryRecordedAnswers();
        }
    }
}
