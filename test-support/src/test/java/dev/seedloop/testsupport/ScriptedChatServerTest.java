package dev.seedloop.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.testsupport.ScriptedChatServer.Reply;

/** The scripted server as any HTTP client sees it (the model client's own tests drive it through LangChain4j). */
class ScriptedChatServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScriptedChatServer server = ScriptedChatServer.start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                .header("Authorization", "Bearer k").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String chat(String user, boolean stream) {
        return "{\"model\":\"m\",\"max_tokens\":50,\"temperature\":0.5,\"stream\":" + stream + ",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"" + user + "\"}]}";
    }

    @Test
    void queuedRepliesComeFirstInOrderThenTheScriptThenA500() throws Exception {
        server.enqueue(Reply.answer("first", 7, 1), Reply.rateLimited(Duration.ofSeconds(3)));
        server.answerWith(call -> Reply.answer(call.user().contains("blue") ? "BLUE" : "OTHER", 1, 1));

        JsonNode first = JSON.readTree(post(chat("hi", false)).body());
        HttpResponse<String> limited = post(chat("hi", false));
        JsonNode scripted = JSON.readTree(post(chat("paint it blue", false)).body());

        assertThat(first.at("/choices/0/message/content").asText()).isEqualTo("first");
        assertThat(first.at("/usage/prompt_tokens").asLong()).isEqualTo(7);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("3");
        assertThat(scripted.at("/choices/0/message/content").asText()).isEqualTo("BLUE");
        ScriptedChatServer.ChatCall call = server.requests().get(2);
        assertThat(call.system()).isEqualTo("be brief");
        assertThat(call.user()).isEqualTo("paint it blue");
        assertThat(call.maxTokens()).isEqualTo(50);
        assertThat(call.temperature()).isEqualTo(0.5);
        assertThat(call.authorization()).isEqualTo("Bearer k");
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void withoutAnyScriptARequestGetsA500AndIsStillCounted() throws Exception {
        assertThat(post(chat("hi", false)).statusCode()).isEqualTo(500);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void aStreamingRequestGetsServerSentEventsEndingInDone() throws Exception {
        server.enqueue(Reply.answer("streamed", 2, 3));

        HttpResponse<String> response = post(chat("hi", true));

        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
        String[] events = response.body().split("\n\n");
        assertThat(events).hasSize(3);
        assertThat(JSON.readTree(events[0].substring("data: ".length())).at("/choices/0/delta/content").asText())
                .isEqualTo("streamed");
        assertThat(JSON.readTree(events[1].substring("data: ".length())).at("/usage/completion_tokens").asLong())
                .isEqualTo(3);
        assertThat(events[2]).isEqualTo("data: [DONE]");
    }

    @Test
    void aMalformedReplyIsSentAsItIs() throws Exception {
        server.enqueue(Reply.malformed("not json at all"));

        HttpResponse<String> response = post(chat("hi", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("not json at all");
    }
}
