package dev.seedloop.proposer.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * The language models the operator configured ({@code seedloop.models.<name>.*}, ADR 0023): each an OpenAI-compatible
 * chat-completions endpoint (OpenAI, vLLM, Ollama, llama.cpp server, a vendor gateway) under a name of the
 * operator's choosing, which is what a study's spec and the events name (never the vendor's model id). No model
 * configured: every call fails "no language model configured". Names are lower-case letters, digits and dashes.
 *
 * <p>The API key comes from this configuration only, never from a study's spec, and is never logged nor passed to an
 * experiment: {@code api-key} (typically {@code ${OPENAI_API_KEY}}, an environment variable) or {@code api-key-file}
 * (a file holding it, such as a mounted Kubernetes secret; surrounding whitespace is dropped). At most one of the two.
 */
@ConfigMapping(prefix = "seedloop.models")
public interface ModelsConfig {

    /** The configured models by name. */
    @WithParentName
    Map<String, Model> models();

    /** One model endpoint and what it costs. */
    interface Model {

        /** The OpenAI base URL, up to and including {@code /v1} (e.g. {@code http://127.0.0.1:11434/v1}). */
        String baseUrl();

        /** The vendor's model id sent as {@code model} (e.g. {@code gpt-4o-mini}, {@code qwen2.5-coder:7b}). */
        String modelId();

        /** The API key, sent as {@code Authorization: Bearer}; absent for servers that need none. */
        Optional<String> apiKey();

        /** A file whose content is the API key (a Kubernetes secret mount), read at start; instead of {@code api-key}. */
        Optional<Path> apiKeyFile();

        /** The prior weight the learner's bandit starts this model with. */
        @WithDefault("1")
        double weight();

        /** USD per million prompt tokens, for the cost of a call. */
        @WithDefault("0")
        double priceInputPerMillionTokens();

        /** USD per million answer tokens, for the cost of a call. */
        @WithDefault("0")
        double priceOutputPerMillionTokens();

        /** The operator's cap on answer tokens: a study may ask for fewer, never more. */
        @WithDefault("8192")
        int maxAnswerTokens();
    }
}
