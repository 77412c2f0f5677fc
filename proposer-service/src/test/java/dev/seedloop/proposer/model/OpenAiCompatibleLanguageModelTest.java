package dev.seedloop.proposer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.InMemoryArtifactStore;
import dev.seedloop.artifacts.InMemoryRecordedAnswers;
import dev.seedloop.proposer.application.ModelReply;
import dev.seedloop.proposer.application.ModelRequest;
import dev.seedloop.testsupport.ScriptedChatServer;
import dev.seedloop.testsupport.ScriptedChatServer.Reply;

/**
 * The model client against a real HTTP server speaking the chat-completions protocol ({@link ScriptedChatServer}):
 * answers, usage and cost, retries and their bounds, refusals, recorded answers and the API key. Waits between
 * attempts are recorded instead of slept, so the tests take milliseconds and can assert them.
 */
class OpenAiCompatibleLanguageModelTest {

    private static final String KEY = "sk-test-0123456789abcdef-secret";

    private final ScriptedChatServer server = ScriptedChatServer.start();
    private final InMemoryArtifactStore store = new InMemoryArtifactStore();
    private final InMemoryRecordedAnswers records = new InMemoryRecordedAnswers();
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelEndpoint endpoint(String name, int maxAnswerTokens) {
        return new ModelEndpoint(name, server.baseUrl(), "vendor-" + name, KEY, 1.5, 2.0, 8.0, maxAnswerTokens);
    }

    private static ClientLimits limits(int maxAttempts, Duration timeout, int maxAnswerChars, boolean replayOnly) {
        return new ClientLimits(maxAttempts, timeout, Duration.ofMillis(100), Duration.ofSeconds(5), maxAnswerChars,
                replayOnly);
    }

    private OpenAiCompatibleLanguageModel client(ClientLimits limits) {
        return new OpenAiCompatibleLanguageModel(List.of(endpoint("small", 512)), limits, store, records,
                new SplittableRandom(7), waits::add, new AtomicLong()::incrementAndGet);
    }

    private OpenAiCompatibleLanguageModel client() {
        return client(limits(3, Duration.ofSeconds(10), 10_000, false));
    }

    private static ModelRequest request(String team, String user, String sampleKey) {
        return new ModelRequest(team, "small", "You edit code.", user, 400, 0.7, sampleKey);
    }

    private String blob(String hash) throws Exception {
        try (InputStream in = store.openBlob(hash)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anAnswerComesWithItsUsageItsCostAndItsStoredPromptAndAnswer() throws Exception {
        server.enqueue(Reply.answer("<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE", 1200, 300));

        ModelReply reply = client().complete(request("team-a", "Improve x.", "seed-1/0"));

        assertThat(reply.answered()).as(reply.failure()).isTrue();
        assertThat(reply.text()).isEqualTo("<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE");
        assertThat(reply.tokensIn()).isEqualTo(1200);
        assertThat(reply.tokensOut()).isEqualTo(300);
        assertThat(reply.costUsd()).isCloseTo(1200 * 2.0 / 1e6 + 300 * 8.0 / 1e6, within(1e-12));
        assertThat(reply.attempts()).isEqualTo(1);
        assertThat(reply.replayed()).isFalse();
        assertThat(reply.latencyMillis()).isGreaterThanOrEqualTo(0);
        assertThat(blob(reply.promptHash())).isEqualTo("seedloop-prompt-v1\nsystem 14\nYou edit code.\nuser 10\n"
                + "Improve x.\n");
        assertThat(reply.promptBytes()).isEqualTo(blob(reply.promptHash()).getBytes(StandardCharsets.UTF_8).length);
        assertThat(blob(reply.answerHash())).isEqualTo(reply.text());
        assertThat(reply.answerBytes()).isEqualTo(reply.text().length());

        ScriptedChatServer.ChatCall call = server.requests().getFirst();
        assertThat(call.path()).isEqualTo("/v1/chat/completions");
        assertThat(call.model()).isEqualTo("vendor-small");
        assertThat(call.system()).isEqualTo("You edit code.");
        assertThat(call.user()).isEqualTo("Improve x.");
        assertThat(call.temperature()).isEqualTo(0.7);
        assertThat(call.maxTokens()).isEqualTo(400);
        assertThat(call.stream()).isFalse();
    }

    @Test
    void aStudyMayAskForFewerAnswerTokensThanTheOperatorAllowsNeverMore() {
        server.answerWith(call -> Reply.answer("ok", 1, 1));

        client().complete(new ModelRequest("team-a", "small", "s", "u", 100_000, 0.0, "k"));

        assertThat(server.requests().getFirst().maxTokens()).isEqualTo(512);
    }

    @Test
    void aRateLimitIsRetriedAfterTheServersRetryAfterAndTheSecondAttemptAnswers() {
        server.enqueue(Reply.rateLimited(Duration.ofSeconds(2)), Reply.answer("second time lucky", 10, 4));

        ModelReply reply = client().complete(request("team-a", "Improve x.", "k"));

        assertThat(reply.answered()).as(reply.failure()).isTrue();
        assertThat(reply.text()).isEqualTo("second time lucky");
        assertThat(reply.attempts()).isEqualTo(2);
        assertThat(server.requestCount()).isEqualTo(2);
        // The jittered backoff before attempt 2 is at most 100 ms; the server asked for 2 s, and got it.
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void serverErrorsUntilTheAttemptsAreUsedUpFailTheCallWithTheLastError() {
        server.answerWith(call -> Reply.status(503, "overloaded, try later", null));

        ModelReply reply = client().complete(request("team-a", "Improve x.", "k"));

        assertThat(reply.answered()).isFalse();
        assertThat(reply.text()).isNull();
        assertThat(reply.failure()).contains("small", "3 attempt(s)", "HTTP 503", "overloaded, try later");
        assertThat(reply.attempts()).isEqualTo(3);
        assertThat(server.requestCount()).isEqualTo(3);
        assertThat(reply.costUsd()).isZero();
        assertThat(reply.promptHash()).isNotNull();
        // Full jitter under a doubling ceiling: at most 100 ms before attempt 2, 200 ms before attempt 3.
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(100));
        assertThat(waits.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(200));
        assertThat(records.size()).isZero();
    }

    @Test
    void aClientErrorOtherThanARateLimitIsNotRetried() {
        server.answerWith(call -> Reply.status(400, "max_tokens is too large", null));

        ModelReply reply = client().complete(request("team-a", "Improve x.", "k"));

        assertThat(reply.failure()).contains("1 attempt(s)", "HTTP 400", "max_tokens is too large");
        assertThat(reply.attempts()).isEqualTo(1);
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aServerSlowerThanTheTimeoutIsRetriedAndThenFailsTheCall() {
        server.answerWith(call -> Reply.delayed(Duration.ofSeconds(3), Reply.answer("too late")));

        ModelReply reply = client(limits(2, Duration.ofMillis(300), 10_000, false))
                .complete(request("team-a", "Improve x.", "k"));

        assertThat(reply.failure()).contains("2 attempt(s)", "timed out");
        assertThat(reply.attempts()).isEqualTo(2);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void aTimeoutFollowedByAnAnswerCountsBothAttempts() {
        server.enqueue(Reply.delayed(Duration.ofSeconds(3), Reply.answer("too late")), Reply.answer("in time", 5, 2));

        ModelReply reply = client(limits(2, Duration.ofMillis(300), 10_000, false))
                .complete(request("team-a", "Improve x.", "k"));

        assertThat(reply.text()).isEqualTo("in time");
        assertThat(reply.attempts()).isEqualTo(2);
    }

    @Test
    void aServerThatRefusesConnectionsIsRetriedAndThenFailsTheCall() {
        ScriptedChatServer gone = ScriptedChatServer.start();
        String deadUrl = gone.baseUrl();
        gone.close();
        OpenAiCompatibleLanguageModel client = new OpenAiCompatibleLanguageModel(
                List.of(new ModelEndpoint("small", deadUrl, "m", KEY, 1, 0, 0, 100)),
                limits(3, Duration.ofSeconds(5), 1_000, false), store, records, new SplittableRandom(7), waits::add,
                System::nanoTime);

        ModelReply reply = client.complete(request("team-a", "Improve x.", "k"));

        assertThat(reply.failure()).contains("3 attempt(s)", "connection failed");
        assertThat(reply.attempts()).isEqualTo(3);
        assertThat(waits).hasSize(2);
    }

    @Test
    void aResponseThatIsNotJsonFailsTheCallWithoutRetrying() {
        server.answerWith(call -> Reply.malformed("{\"choices\": [ this is not json"));

        ModelReply reply = client().complete(request("team-a", "Improve x.", "k"));

        assertThat(reply.answered()).isFalse();
        assertThat(reply.failure()).contains("1 attempt(s)");
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(records.size()).isZero();
    }

    @Test
    void anAnswerLongerThanTheLimitIsRefusedButItsTokensAndCostAreCounted() {
        server.enqueue(Reply.answer("x".repeat(5_000), 100, 1_250));

        ModelReply reply = client(limits(3, Duration.ofSeconds(10), 1_000, false))
                .complete(request("team-a", "Improve x.", "k"));

        assertThat(reply.failure()).contains("5000 characters", "max-answer-chars 1000", "refused");
        assertThat(reply.answerHash()).isNull();
        assertThat(reply.tokensOut()).isEqualTo(1_250);
        assertThat(reply.costUsd()).isCloseTo(100 * 2.0 / 1e6 + 1_250 * 8.0 / 1e6, within(1e-12));
        assertThat(reply.attempts()).isEqualTo(1);
        assertThat(records.size()).isZero();
    }

    @Test
    void aHugeResponseBodyIsRefusedBeforeItIsReadWhole() {
        // 1 000 characters allowed: the body limit is 6 000 bytes + 64 KiB; this answer is 2 MB.
        server.enqueue(Reply.answer("y".repeat(2_000_000), 100, 500_000));

        ModelReply reply = client(limits(3, Duration.ofSeconds(10), 1_000, false))
                .complete(request("team-a", "Improve x.", "k"));

        assertThat(reply.failure()).contains("1 attempt(s)", "exceeds", "bytes", "refused");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void aServerWithoutUsageGetsTokensEstimatedAtFourCharactersPerToken() {
        server.enqueue(Reply.answerWithoutUsage("abcdefghij"));

        ModelReply reply = client().complete(request("team-a", "Improve x.", "k"));

        String stored = Prompts.stored("You edit code.", "Improve x.");
        assertThat(reply.tokensIn()).isEqualTo((stored.length() + 3) / 4);
        assertThat(reply.tokensOut()).isEqualTo(3);
    }

    @Test
    void theSameQuestionAgainIsAnsweredFromTheRecordWithoutAnyRequest() {
        server.enqueue(Reply.answer("recorded answer", 70, 20));
        OpenAiCompatibleLanguageModel client = client();
        ModelReply first = client.complete(request("team-a", "Improve x.", "seed-1/3"));
        assertThat(server.requestCount()).isEqualTo(1);

        ModelReply again = client.complete(request("team-a", "Improve x.", "seed-1/3"));

        assertThat(again.answered()).as(again.failure()).isTrue();
        assertThat(again.replayed()).isTrue();
        assertThat(again.text()).isEqualTo("recorded answer");
        assertThat(again.answerHash()).isEqualTo(first.answerHash());
        assertThat(again.promptHash()).isEqualTo(first.promptHash());
        assertThat(again.tokensIn()).isEqualTo(70);
        assertThat(again.tokensOut()).isEqualTo(20);
        assertThat(again.costUsd()).as("priced as the call was, billed nothing").isPositive().isEqualTo(first.costUsd());
        assertThat(again.latencyMillis()).isZero();
        assertThat(again.attempts()).isZero();
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void anotherSampleOfTheSamePromptAsksTheModelAgain() {
        server.answerWith(call -> Reply.answer("an answer", 1, 1));
        OpenAiCompatibleLanguageModel client = client();
        client.complete(request("team-a", "Improve x.", "seed-1/3"));

        ModelReply other = client.complete(request("team-a", "Improve x.", "seed-1/4"));

        assertThat(other.replayed()).isFalse();
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void replayOnlyAnswersFromTheRecordAndFailsAMissWithoutAnyRequest() {
        server.answerWith(call -> Reply.answer("recorded before", 3, 2));
        client().complete(request("team-a", "Improve x.", "seed-1/0"));
        assertThat(server.requestCount()).isEqualTo(1);
        OpenAiCompatibleLanguageModel replayOnly = client(limits(3, Duration.ofSeconds(10), 10_000, true));

        ModelReply hit = replayOnly.complete(request("team-a", "Improve x.", "seed-1/0"));
        ModelReply miss = replayOnly.complete(request("team-a", "Improve y.", "seed-1/1"));

        assertThat(hit.replayed()).isTrue();
        assertThat(hit.text()).isEqualTo("recorded before");
        assertThat(miss.answered()).isFalse();
        assertThat(miss.failure()).isEqualTo(OpenAiCompatibleLanguageModel.REPLAY_ONLY_MISS);
        assertThat(miss.attempts()).isZero();
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void aTeamNeverGetsAnotherTeamsRecordedAnswer() {
        server.enqueue(Reply.answer("team a's answer", 1, 1), Reply.answer("team b's answer", 1, 1));
        OpenAiCompatibleLanguageModel client = client();
        client.complete(request("team-a", "Improve x.", "seed-1/0"));

        ModelReply teamB = client.complete(request("team-b", "Improve x.", "seed-1/0"));

        assertThat(teamB.replayed()).isFalse();
        assertThat(teamB.text()).isEqualTo("team b's answer");
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(client.complete(request("team-a", "Improve x.", "seed-1/0")).text()).isEqualTo("team a's answer");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void theApiKeyIsSentAsABearerTokenAndAppearsInNoFailureAndNoLogLine() {
        // A server error that echoes the key (retried, so the retry is logged), then a refusal that names it.
        server.enqueue(Reply.status(502, "upstream refused key " + KEY, null),
                Reply.status(401, "Incorrect API key provided: " + KEY, null), Reply.answer("fine", 1, 1));
        List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Logger ours = Logger.getLogger("dev");
        Level before = ours.getLevel();
        root.addHandler(capture);
        ours.setLevel(Level.ALL);
        try {
            OpenAiCompatibleLanguageModel client = client();
            ModelReply refused = client.complete(request("team-a", "Improve x.", "k1"));
            ModelReply answered = client.complete(request("team-a", "Improve x.", "k2"));

            assertThat(refused.failure()).contains("2 attempt(s)", "HTTP 401", "***").doesNotContain(KEY);
            assertThat(answered.text()).isEqualTo("fine");
        } finally {
            root.removeHandler(capture);
            ours.setLevel(before);
        }
        assertThat(server.requests()).extracting(ScriptedChatServer.ChatCall::authorization)
                .containsOnly("Bearer " + KEY);
        // The capture worked: the retry after the 502 was logged (at debug), without the key.
        assertThat(logged).anySatisfy(record -> assertThat(record.getMessage()).contains("retrying"));
        assertThat(logged).allSatisfy(record -> assertThat(String.valueOf(record.getMessage())
                + java.util.Arrays.toString(record.getParameters())).doesNotContain(KEY));
    }

    @Test
    void aModelWithoutAKeyIsAskedWithoutAnAuthorizationHeader() {
        server.enqueue(Reply.answer("local answer", 1, 1));
        OpenAiCompatibleLanguageModel local = new OpenAiCompatibleLanguageModel(
                List.of(new ModelEndpoint("small", server.baseUrl(), "qwen", null, 1, 0, 0, 100)),
                limits(1, Duration.ofSeconds(10), 1_000, false), store, records);

        ModelReply reply = local.complete(request("team-a", "Improve x.", "k"));

        assertThat(reply.text()).as(reply.failure()).isEqualTo("local answer");
        assertThat(reply.costUsd()).isZero();
        assertThat(server.requests().getFirst().authorization()).isNull();
    }

    @Test
    void anUnknownModelOrNoModelAtAllFailsTheCallWithoutARequest() {
        ModelReply unknown = client().complete(new ModelRequest("team-a", "large", "s", "u", 10, 0.0, "k"));
        ModelReply none = new OpenAiCompatibleLanguageModel(List.of(), limits(1, Duration.ofSeconds(1), 10, false),
                null, null).complete(request("team-a", "u", "k"));

        assertThat(unknown.failure()).isEqualTo("unknown model 'large'; configured: small");
        assertThat(none.failure()).isEqualTo(OpenAiCompatibleLanguageModel.NO_MODEL);
        // The event of a failed call still names its prompt: the hash the store gives (or would give) the prompt.
        assertThat(unknown.promptHash()).isEqualTo(store.putText(Prompts.stored("s", "u")).hash());
        assertThat(none.promptHash()).isEqualTo(Prompts.blobOf(Prompts.stored("You edit code.", "u")).hash());
        assertThat(none.promptBytes()).isPositive();
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void modelsAreListedWithTheirWeightsInTheOrderGiven() {
        OpenAiCompatibleLanguageModel client = new OpenAiCompatibleLanguageModel(
                List.of(endpoint("zeta", 10), endpoint("alpha", 10)), limits(1, Duration.ofSeconds(1), 10, false),
                store, records);

        assertThat(client.models()).containsExactly(java.util.Map.entry("zeta", 1.5), java.util.Map.entry("alpha", 1.5));
    }
}
