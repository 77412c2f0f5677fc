package dev.seedloop.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server speaking the OpenAI chat-completions protocol ({@code POST /v1/chat/completions}) that answers
 * from a script instead of a model, for tests that must run without a model vendor. It listens on a free port of
 * 127.0.0.1; {@link #baseUrl()} is what a client takes as its OpenAI base URL ({@code http://127.0.0.1:<port>/v1}).
 *
 * <p>Each request takes the next {@link #enqueue queued} reply; when the queue is empty it asks the
 * {@link #answerWith function} (a system test answers by what the prompt contains); with neither it answers 500
 * {@code "no scripted reply"}. A reply is an answer ({@link Reply#answer}, with {@code usage}; streamed as server-sent
 * events when the request asks for {@code "stream": true}), or a fault: a status with an optional {@code Retry-After}
 * ({@link Reply#status}, {@link Reply#rateLimited}), a delay before another reply ({@link Reply#delayed}, longer than a
 * client's timeout), or a body that is not JSON ({@link Reply#malformed}).
 *
 * <p>Every request is recorded ({@link #requestCount()}, {@link #requests()}) before it is answered, so a test proves
 * that no call was made by a positive marker: the work finished and the count did not move.
 */
public final class ScriptedChatServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService workers;
    private final Deque<Reply> queue = new ArrayDeque<>();
    private final List<ChatCall> calls = new ArrayList<>();
    private Function<ChatCall, Reply> fallback;

    private ScriptedChatServer(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Starts a server on a free port of 127.0.0.1. Close it. */
    public static ScriptedChatServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            // One thread per exchange: a delayed reply must not hold up the client's retry behind it.
            ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(workers);
            ScriptedChatServer scripted = new ScriptedChatServer(server, workers);
            server.createContext("/", scripted::handle);
            server.start();
            return scripted;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the scripted chat server", e);
        }
    }

    /** The OpenAI base URL of this server: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Queues replies, each answering one request, in order, before the {@link #answerWith function} is asked. */
    public synchronized ScriptedChatServer enqueue(Reply... replies) {
        queue.addAll(List.of(replies));
        return this;
    }

    /** Answers every request the queue does not as {@code script} says (it may look at the prompt). */
    public synchronized ScriptedChatServer answerWith(Function<ChatCall, Reply> script) {
        this.fallback = Objects.requireNonNull(script, "script");
        return this;
    }

    /** How many requests arrived (any path, any outcome). */
    public synchronized int requestCount() {
        return calls.size();
    }

    /** The requests that arrived, in order. */
    public synchronized List<ChatCall> requests() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            ChatCall call = ChatCall.parse(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body);
            Reply reply;
            synchronized (this) {
                calls.add(call);
                reply = queue.isEmpty() ? (fallback == null ? null : fallback.apply(call)) : queue.poll();
            }
            if (!call.method().equals("POST") || !call.path().endsWith("/chat/completions")) {
                send(exchange, 404, "application/json", "{\"error\":{\"message\":\"not found\"}}");
                return;
            }
            if (reply == null) {
                reply = Reply.status(500, "no scripted reply", null);
            }
            respond(exchange, call, reply);
        } catch (InterruptedException e) {
            // The server is closing while a delayed reply waits: the exchange is closed unanswered.
            Thread.currentThread().interrupt();
        }
    }

    private void respond(HttpExchange exchange, ChatCall call, Reply reply) throws IOException, InterruptedException {
        switch (reply) {
            case Reply.Delayed delayed -> {
                Thread.sleep(delayed.delay());
                respond(exchange, call, delayed.then());
            }
            case Reply.Status status -> {
                if (status.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After",
                            Long.toString(Math.max(0, status.retryAfter().toSeconds())));
                }
                ObjectNode error = JSON.createObjectNode();
                error.putObject("error").put("message", status.message()).put("type", "scripted");
                send(exchange, status.code(), "application/json", JSON.writeValueAsString(error));
            }
            case Reply.Malformed malformed -> send(exchange, 200, "application/json", malformed.body());
            case Reply.Answer answer -> {
                if (call.stream()) {
                    send(exchange, 200, "text/event-stream", streamed(call, answer));
                } else {
                    send(exchange, 200, "application/json", JSON.writeValueAsString(completion(call, answer)));
                }
            }
        }
    }

    private static ObjectNode completion(ChatCall call, Reply.Answer answer) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-scripted").put("object", "chat.completion").put("created", 0)
                .put("model", call.model() == null ? "scripted" : call.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", answer.text());
        if (answer.usage() != null) {
            usage(root, answer.usage());
        }
        return root;
    }

    private static void usage(ObjectNode root, Usage usage) {
        root.putObject("usage").put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.promptTokens() + usage.completionTokens());
    }

    private static String streamed(ChatCall call, Reply.Answer answer) throws IOException {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", "chatcmpl-scripted").put("object", "chat.completion.chunk").put("created", 0)
                .put("model", call.model() == null ? "scripted" : call.model());
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("role", "assistant").put("content", answer.text());
        ObjectNode last = JSON.createObjectNode();
        last.put("id", "chatcmpl-scripted").put("object", "chat.completion.chunk").put("created", 0)
                .put("model", call.model() == null ? "scripted" : call.model());
        ObjectNode stop = last.putArray("choices").addObject();
        stop.put("index", 0).put("finish_reason", "stop");
        stop.putObject("delta");
        if (answer.usage() != null) {
            usage(last, answer.usage());
        }
        return "data: " + JSON.writeValueAsString(chunk) + "\n\n" + "data: " + JSON.writeValueAsString(last)
                + "\n\n" + "data: [DONE]\n\n";
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * One request as it arrived: method, path, the {@code Authorization} header, the raw body, and, when the body is a
     * chat-completions request, its {@code model}, its system and user messages (joined by newlines when there are
     * several), {@code max_tokens} (or {@code max_completion_tokens}; null when absent), {@code temperature} (null when
     * absent) and {@code stream}.
     */
    public record ChatCall(String method, String path, String authorization, String body, String model, String system,
                           String user, Integer maxTokens, Double temperature, boolean stream) {

        /** System and user text together: what a script looks into to decide its answer. */
        public String prompt() {
            return system + "\n" + user;
        }

        static ChatCall parse(String method, String path, String authorization, String body) {
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (IOException e) {
                root = null;
            }
            if (root == null || !root.isObject()) {
                return new ChatCall(method, path, authorization, body, null, "", "", null, null, false);
            }
            List<String> system = new ArrayList<>();
            List<String> user = new ArrayList<>();
            JsonNode messages = root.path("messages");
            if (messages instanceof ArrayNode array) {
                for (JsonNode message : array) {
                    String text = text(message.path("content"));
                    switch (message.path("role").asText()) {
                        case "system", "developer" -> system.add(text);
                        case "user" -> user.add(text);
                        default -> { }
                    }
                }
            }
            JsonNode max = root.hasNonNull("max_tokens") ? root.get("max_tokens") : root.get("max_completion_tokens");
            return new ChatCall(method, path, authorization, body,
                    root.hasNonNull("model") ? root.get("model").asText() : null,
                    String.join("\n", system), String.join("\n", user),
                    max == null || max.isNull() ? null : max.asInt(),
                    root.hasNonNull("temperature") ? root.get("temperature").asDouble() : null,
                    root.path("stream").asBoolean(false));
        }

        /** A message's content: a string, or the text parts of a content array. */
        private static String text(JsonNode content) {
            if (content.isTextual()) {
                return content.asText();
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                text.append(part.path("text").asText(""));
            }
            return text.toString();
        }
    }

    /** Token counts the server reports as {@code usage}. */
    public record Usage(long promptTokens, long completionTokens) {
    }

    /** What the server does with one request. */
    public sealed interface Reply {

        /** An answer with the given usage. */
        static Reply answer(String text, long promptTokens, long completionTokens) {
            return new Answer(text, new Usage(promptTokens, completionTokens));
        }

        /** An answer whose usage counts one token per 4 characters of the answer and 100 for the prompt. */
        static Reply answer(String text) {
            return new Answer(text, new Usage(100, Math.max(1, text.length() / 4)));
        }

        /** An answer without a {@code usage} object (some OpenAI-compatible servers send none). */
        static Reply answerWithoutUsage(String text) {
            return new Answer(text, null);
        }

        /** An error status with an OpenAI-style error body; {@code retryAfter} (nullable) sets {@code Retry-After}. */
        static Reply status(int code, String message, Duration retryAfter) {
            return new Status(code, message, retryAfter);
        }

        /** 429 with {@code Retry-After}. */
        static Reply rateLimited(Duration retryAfter) {
            return new Status(429, "rate limited (scripted)", retryAfter);
        }

        /** Waits {@code delay} (longer than the client's timeout, to script a timeout), then replies {@code then}. */
        static Reply delayed(Duration delay, Reply then) {
            return new Delayed(delay, then);
        }

        /** 200 with this body as it is (not JSON, or JSON that is no completion). */
        static Reply malformed(String body) {
            return new Malformed(body);
        }

        record Answer(String text, Usage usage) implements Reply {
        }

        record Status(int code, String message, Duration retryAfter) implements Reply {
        }

        record Delayed(Duration delay, Reply then) implements Reply {
        }

        record Malformed(String body) implements Reply {
        }
    }
}
