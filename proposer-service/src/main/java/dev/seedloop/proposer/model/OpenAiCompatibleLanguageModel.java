package dev.seedloop.proposer.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import org.jboss.logging.Logger;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.BlobRef;
import dev.seedloop.artifacts.RecordedAnswer;
import dev.seedloop.artifacts.RecordedAnswers;
import dev.seedloop.proposer.application.LanguageModel;
import dev.seedloop.proposer.application.ModelReply;
import dev.seedloop.proposer.application.ModelRequest;

/**
 * The proposer's {@link LanguageModel} for OpenAI-compatible chat-completions endpoints (ADR 0023), on LangChain4j's
 * OpenAI chat model over the JDK HTTP client, with LangChain4j's own retries off: this class counts attempts.
 *
 * <p>A call: store the prompt (the {@link Prompts#stored} form) as a blob; cap the answer tokens at the model's
 * {@code max-answer-tokens}; look the {@link Prompts#recordKey key} up in the team's {@link RecordedAnswers} and, on a
 * hit, answer from the record (no HTTP request, {@code replayed}: priced, billed nothing, latency zero); on a miss in replay-only
 * mode, fail; otherwise ask the model, retrying 429, 5xx, refused or reset connections and timeouts with
 * {@link Backoff} up to {@code max-attempts}; store the answer as a blob and record it. Every failure is a
 * {@link ModelReply} with a failure text (model, attempts, status, last error; never the API key), never an exception.
 *
 * <p>Tokens are the response's {@code usage}; a server that reports none gets an estimate of one token per 4
 * characters of the stored prompt and the answer. Cost is tokens times the model's prices. Latency is the wall time
 * of the whole call, retries and waits included: what the proposal waited.
 */
public final class OpenAiCompatibleLanguageModel implements LanguageModel {

    /** The failure of every call when no model is configured. */
    public static final String NO_MODEL = "no language model configured";

    /** The failure of a call with no recorded answer in replay-only mode. */
    public static final String REPLAY_ONLY_MISS = "no recorded answer; replay-only";

    private static final Logger LOG = Logger.getLogger(OpenAiCompatibleLanguageModel.class);
    private static final int MAX_ERROR_CHARS = 300;

    /** Waits between attempts: {@link Thread#sleep} in service, recorded instead of slept in tests. */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Map<String, Configured> models;
    private final ClientLimits limits;
    private final ArtifactStore store;
    private final RecordedAnswers records;
    private final Backoff backoff;
    private final Pause pause;
    private final LongSupplier nanoTime;

    private record Configured(ModelEndpoint endpoint, ChatModel chat) {
    }

    /**
     * @param endpoints the configured models, in the order {@link #models()} lists them
     * @param random the jitter's source (any: it changes waits, never answers)
     */
    public OpenAiCompatibleLanguageModel(List<ModelEndpoint> endpoints, ClientLimits limits, ArtifactStore store,
            RecordedAnswers records, RandomGenerator random, Pause pause, LongSupplier nanoTime) {
        this.limits = limits;
        this.store = store;
        this.records = records;
        this.backoff = new Backoff(limits.backoffInitial(), limits.backoffMax(), random);
        this.pause = pause;
        this.nanoTime = nanoTime;
        Map<String, Configured> byName = new LinkedHashMap<>();
        for (ModelEndpoint endpoint : endpoints) {
            if (byName.put(endpoint.name(), new Configured(endpoint, chatModel(endpoint, limits))) != null) {
                throw new IllegalArgumentException("model " + endpoint.name() + " is configured twice");
            }
        }
        this.models = Collections.unmodifiableMap(byName);
    }

    /** With the real clock, {@link Thread#sleep} and a fresh random jitter. */
    public OpenAiCompatibleLanguageModel(List<ModelEndpoint> endpoints, ClientLimits limits, ArtifactStore store,
            RecordedAnswers records) {
        this(endpoints, limits, store, records, RandomGenerator.getDefault(), Thread::sleep, System::nanoTime);
    }

    private static ChatModel chatModel(ModelEndpoint endpoint, ClientLimits limits) {
        // A JSON-escaped answer may take up to 6 bytes per character (\\uXXXX); 64 KiB for the envelope around it.
        long maxBodyBytes = (long) limits.maxAnswerChars() * 6 + 64 * 1024;
        return OpenAiChatModel.builder()
                .httpClientBuilder(JdkHttpClient.builder().httpClientBuilder(ObservedHttpClient.builder(maxBodyBytes)))
                .baseUrl(endpoint.baseUrl())
                .apiKey(endpoint.apiKey())
                .modelName(endpoint.modelId())
                .timeout(limits.timeout())
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false)
                .build();
    }

    @Override
    public Map<String, Double> models() {
        Map<String, Double> weights = new LinkedHashMap<>();
        models.forEach((name, model) -> weights.put(name, model.endpoint().weight()));
        return Collections.unmodifiableMap(weights);
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        String promptText = Prompts.stored(request.system(), request.user());
        // Every reply names its prompt (the event requires it), stored or not.
        BlobRef prompt = Prompts.blobOf(promptText);
        Configured model = models.get(request.model());
        // Stored even when no model answers, so every event's prompt can be read back (what would have been asked).
        if (store != null) {
            try {
                store.putText(promptText);
            } catch (RuntimeException e) {
                return failed(prompt, 0, 0, 0, 0, 0, 0, "model " + request.model()
                        + ": the prompt could not be stored: " + e.getMessage());
            }
        }
        if (model == null) {
            String failure = models.isEmpty() ? NO_MODEL
                    : "unknown model '" + request.model() + "'; configured: " + String.join(", ", models.keySet());
            return failed(prompt, 0, 0, 0, 0, 0, 0, failure);
        }
        ModelEndpoint endpoint = model.endpoint();
        int maxAnswerTokens = Math.min(request.maxAnswerTokens(), endpoint.maxAnswerTokens());
        String key = Prompts.recordKey(request.team(), endpoint.name(), endpoint.modelId(), prompt.hash(),
                request.sampleKey(), maxAnswerTokens, request.temperature());

        Optional<RecordedAnswer> recorded;
        try {
            recorded = records.find(request.team(), key);
        } catch (RuntimeException e) {
            return failed(prompt, 0, 0, 0, 0, 0, 0, "model " + endpoint.name()
                    + ": the recorded answers could not be read: " + e.getMessage());
        }
        if (recorded.isPresent()) {
            return replayed(prompt, recorded.get(), endpoint);
        }
        if (limits.replayOnly()) {
            return failed(prompt, 0, 0, 0, 0, 0, 0, REPLAY_ONLY_MISS);
        }
        return ask(request, model, prompt, promptText, maxAnswerTokens, key);
    }

    /**
     * The recorded answer, priced by the table as the call would be (the learner weighs arms by that price, so a
     * replayed study weighs them as the original did) and billed nothing (the event says {@code replayed}).
     */
    private ModelReply replayed(BlobRef prompt, RecordedAnswer recorded, ModelEndpoint endpoint) {
        String text;
        try (InputStream in = store.openBlob(recorded.answerHash())) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return failed(prompt, 0, 0, 0, 0, 0, 0, "the recorded answer " + recorded.answerHash()
                    + " could not be read: " + e.getMessage());
        }
        long answerBytes = text.getBytes(StandardCharsets.UTF_8).length;
        return new ModelReply(text, prompt.hash(), prompt.size(), recorded.answerHash(), answerBytes,
                recorded.tokensIn(), recorded.tokensOut(), 0,
                endpoint.cost(recorded.tokensIn(), recorded.tokensOut()), 0, true, null);
    }

    private ModelReply ask(ModelRequest request, Configured model, BlobRef prompt, String promptText,
            int maxAnswerTokens, String key) {
        ModelEndpoint endpoint = model.endpoint();
        List<ChatMessage> messages = new ArrayList<>();
        if (!request.system().isBlank()) {
            messages.add(SystemMessage.from(request.system()));
        }
        messages.add(UserMessage.from(request.user()));
        ChatRequest chatRequest = ChatRequest.builder().messages(messages).modelName(endpoint.modelId())
                .maxOutputTokens(maxAnswerTokens).temperature(request.temperature()).build();

        long started = nanoTime.getAsLong();
        int attempts = 0;
        ChatResponse response = null;
        String lastError = null;
        while (attempts < limits.maxAttempts()) {
            attempts++;
            try {
                response = model.chat().chat(chatRequest);
                break;
            } catch (RuntimeException e) {
                Optional<Duration> retryAfter = ObservedHttpClient.takeRetryAfter();
                Outcome outcome = classify(e);
                lastError = scrub(outcome.description(), endpoint);
                if (!outcome.retryable() || attempts == limits.maxAttempts()) {
                    break;
                }
                Duration wait = backoff.after(attempts, retryAfter.orElse(null));
                LOG.debugf("model %s: attempt %d failed (%s); retrying in %d ms", endpoint.name(), attempts,
                        lastError, wait.toMillis());
                try {
                    pause.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    lastError = lastError + "; interrupted while waiting to retry";
                    break;
                }
            }
        }
        long latencyMillis = (nanoTime.getAsLong() - started) / 1_000_000;
        if (response == null) {
            return failed(prompt, 0, 0, 0, latencyMillis, 0, attempts, "model " + endpoint.name() + " failed after "
                    + attempts + " attempt(s): " + lastError);
        }

        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        TokenUsage usage = response.tokenUsage();
        boolean reported = usage != null && usage.inputTokenCount() != null && usage.outputTokenCount() != null;
        long tokensIn = reported ? usage.inputTokenCount() : Prompts.estimatedTokens(promptText);
        long tokensOut = reported ? usage.outputTokenCount() : Prompts.estimatedTokens(text == null ? "" : text);
        if (!reported) {
            LOG.debugf("model %s reported no usage; tokens estimated at 4 characters per token", endpoint.name());
        }
        double cost = endpoint.cost(tokensIn, tokensOut);
        if (text == null) {
            return failed(prompt, 0, tokensIn, tokensOut, latencyMillis, cost, attempts,
                    "model " + endpoint.name() + " answered no text");
        }
        if (text.length() > limits.maxAnswerChars()) {
            return failed(prompt, 0, tokensIn, tokensOut, latencyMillis, cost, attempts, "model " + endpoint.name()
                    + " answered " + text.length() + " characters, more than max-answer-chars "
                    + limits.maxAnswerChars() + "; refused");
        }
        BlobRef answer;
        try {
            answer = store.putText(text);
        } catch (RuntimeException e) {
            return failed(prompt, 0, tokensIn, tokensOut, latencyMillis, cost, attempts, "model " + endpoint.name()
                    + ": the answer could not be stored: " + e.getMessage());
        }
        try {
            records.record(request.team(), key, new RecordedAnswer(endpoint.name(), endpoint.modelId(), prompt.hash(),
                    answer.hash(), tokensIn, tokensOut));
        } catch (RuntimeException e) {
            // The answer stands (it was paid for and is stored); only a later replay of it would ask the model again.
            LOG.warnf("model %s: the answer %s could not be recorded for replay: %s", endpoint.name(), answer.hash(),
                    e.getMessage());
        }
        return new ModelReply(text, prompt.hash(), prompt.size(), answer.hash(), answer.size(), tokensIn, tokensOut,
                latencyMillis, cost, attempts, false, null);
    }

    private static ModelReply failed(BlobRef prompt, long answerBytes, long tokensIn, long tokensOut,
            long latencyMillis, double cost, int attempts, String failure) {
        return new ModelReply(null, prompt.hash(), prompt.size(), null, answerBytes, tokensIn, tokensOut,
                latencyMillis, cost, attempts, false, failure);
    }

    private record Outcome(boolean retryable, String description) {
    }

    /** 429, 5xx, timeouts and broken connections are worth another attempt; anything else would fail again. */
    static Outcome classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http) {
                int status = http.statusCode();
                return new Outcome(status == 429 || status >= 500, "HTTP " + status + ": " + http.getMessage());
            }
            if (cause instanceof ObservedHttpClient.BodyTooLargeException tooLarge) {
                return new Outcome(false, tooLarge.getMessage() + "; refused");
            }
            if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException
                    || cause instanceof java.net.SocketTimeoutException) {
                return new Outcome(true, "timed out");
            }
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.SocketException
                    || cause instanceof java.io.EOFException) {
                return new Outcome(true, "connection failed: " + cause.getMessage());
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new Outcome(false, root.getClass().getSimpleName() + ": " + root.getMessage());
    }

    /** The error as a failure text: without the API key, on one line, at most {@value #MAX_ERROR_CHARS} characters. */
    private static String scrub(String error, ModelEndpoint endpoint) {
        String text = error == null ? "" : error;
        if (endpoint.apiKey() != null && !endpoint.apiKey().isEmpty()) {
            text = text.replace(endpoint.apiKey(), "***");
        }
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "..." : text;
    }
}
