package dev.seedloop.proposer.application;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.proposer.config.ProposerConfig;

/**
 * The llm strategy's {@link LlmProposals}, with its own pool of {@code seedloop.proposer.llm.parallel-calls} threads
 * for model calls: they block for seconds to minutes, so they run neither on the Kafka event loop nor on the
 * channel's worker thread, which waits for them.
 */
@ApplicationScoped
public class LlmSetup {

    private final AtomicInteger threads = new AtomicInteger();
    private volatile ExecutorService calls;

    @Produces
    @Singleton
    LlmProposals llmProposals(ArtifactStore store, LanguageModel model, ProposerConfig config) {
        calls = Executors.newFixedThreadPool(Math.max(1, config.llm().parallelCalls()), runnable -> {
            Thread thread = new Thread(runnable, "proposer-model-call-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        return new LlmProposals(store, model, calls);
    }

    @PreDestroy
    void stop() {
        if (calls != null) {
            calls.shutdownNow();
        }
    }
}
