package dev.seedloop.gateway.application;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.gateway.config.GatewayConfig;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.Views;

/**
 * A study's language-model calls as its ModelCallCompleted events record them, and the prompts and answers they name.
 * The events are read from the learner as the caller's team (another team's study is "no such study"), and a blob is
 * read only when one of those events names it: a hash alone opens nothing, so no team reads another's prompts by
 * guessing or copying a hash. Blocking (learner round trips, JDBC): call it from a worker thread.
 */
@ApplicationScoped
public class ModelCalls {

    private static final List<String> CALL_EVENTS = List.of(EventTypes.MODEL_CALL_COMPLETED);

    /** One call as the API shows it: where it is in the study and everything its event says but the ordinal's order. */
    public record Call(long sequence, Instant at, UUID callId, UUID proposalId, int ordinal, String model,
                       String template, String operator, long tokensIn, long tokensOut, double costUsd,
                       long latencyMillis, int attempts, boolean replayed, String failure, String promptHash,
                       long promptBytes, String answerHash, long answerBytes) {

        static Call of(long sequence, EventEnvelope event) {
            ModelCallCompleted c = (ModelCallCompleted) event.payload();
            return new Call(sequence, event.occurredAt(), c.callId(), c.proposalId(), c.ordinal(), c.model(),
                    c.template(), c.operator(), c.tokensIn(), c.tokensOut(), c.costUsd(), c.latencyMillis(),
                    c.attempts(), c.replayed(), c.failure(), c.promptHash(), c.promptBytes(), c.answerHash(),
                    c.answerBytes());
        }
    }

    /** A page of calls in study order; {@code after} is the sequence to ask from for the next page. */
    public record Page(List<Call> items, long after, boolean more) {
    }

    /** Which text of a call. */
    public enum Text {
        PROMPT,
        ANSWER
    }

    /** A call's text, cut to the configured size when it is longer; {@code totalBytes} is its whole size. */
    public record Excerpt(String text, long totalBytes, boolean truncated) {
    }

    @Inject
    LearnerQueries queries;

    @Inject
    ArtifactStore store;

    @Inject
    EventCodec codec;

    @Inject
    GatewayConfig config;

    /**
     * The study's calls after sequence {@code after}, at most {@code limit} (one page of the learner's events).
     *
     * @throws NotFoundException for a study the team does not have
     */
    public Page page(String team, String studyId, long after, int limit) {
        // The study first: a page of events of one type says nothing about whether the study is the team's.
        queries.study(team, studyId).await().indefinitely();
        return calls(team, studyId, after, limit);
    }

    private Page calls(String team, String studyId, long after, int limit) {
        Views.EventPage page = queries.events(team, studyId, after, limit, CALL_EVENTS).await().indefinitely();
        List<Call> calls = new ArrayList<>(page.items().size());
        long last = after;
        for (Views.StoredEventView stored : page.items()) {
            calls.add(Call.of(stored.sequence(), codec.decode(stored.event().toString())));
            last = stored.sequence();
        }
        return new Page(calls, last, page.more());
    }

    /**
     * The prompt or answer of call {@code callId} of the study, read from the artifact store.
     *
     * @throws NotFoundException for a study the team does not have, a call the study does not have, a call without an
     *                           answer, or a text that is not stored
     */
    public Excerpt text(String team, String studyId, String callId, Text which) {
        Call call = find(team, studyId, callId);
        String hash = which == Text.PROMPT ? call.promptHash() : call.answerHash();
        if (hash == null) {
            throw new NotFoundException("model call " + callId + " has no answer: " + call.failure());
        }
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, config.llm().maxTextBytes().asLongValue());
        byte[] bytes;
        try (InputStream in = store.openBlob(hash)) {
            bytes = in.readNBytes(cap + 1);
        } catch (NoSuchElementException missing) {
            throw new NotFoundException("the " + which.name().toLowerCase(java.util.Locale.ROOT) + " of model call "
                    + callId + " is not stored");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long total = which == Text.PROMPT ? call.promptBytes() : call.answerBytes();
        if (bytes.length <= cap) {
            return new Excerpt(new String(bytes, StandardCharsets.UTF_8), Math.max(total, bytes.length), false);
        }
        return new Excerpt(new String(bytes, 0, characterBoundary(bytes, cap), StandardCharsets.UTF_8),
                Math.max(total, bytes.length), true);
    }

    /** The largest length up to {@code cap} that does not split a UTF-8 sequence. */
    static int characterBoundary(byte[] bytes, int cap) {
        int end = cap;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return end;
    }

    private Call find(String team, String studyId, String callId) {
        UUID wanted;
        try {
            wanted = UUID.fromString(callId);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no model call " + callId + " in study " + studyId);
        }
        queries.study(team, studyId).await().indefinitely();
        long after = 0;
        while (true) {
            Page page = calls(team, studyId, after, Query.MAX_PAGE);
            for (Call call : page.items()) {
                if (call.callId().equals(wanted)) {
                    return call;
                }
            }
            if (!page.more() || page.items().isEmpty()) {
                throw new NotFoundException("no model call " + callId + " in study " + studyId);
            }
            after = page.after();
        }
    }
}
