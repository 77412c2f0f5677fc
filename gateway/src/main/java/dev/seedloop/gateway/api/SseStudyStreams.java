package dev.seedloop.gateway.api;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import dev.seedloop.gateway.application.Caller;
import dev.seedloop.gateway.application.LearnerQueries;
import dev.seedloop.gateway.application.StudyStreams;
import dev.seedloop.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Multi;

/**
 * A study's live events as server-sent events, for both doors that serve them: the API (bearer tokens) and the
 * dashboard (its session cookie, so that the browser's own EventSource, which resumes with Last-Event-ID by itself,
 * can follow a study). Each event carries its study sequence as id and its logical type as name.
 */
@ApplicationScoped
public class SseStudyStreams {

    @Inject
    LearnerQueries queries;

    @Inject
    StudyStreams streams;

    @Inject
    GatewayConfig config;

    /** Blocks until the study is checked, so another team's study is a plain 404 before the stream opens. */
    Multi<OutboundSseEvent> open(Caller caller, String studyId, String lastEventId, Long after, Sse sse) {
        long from = resumePoint(lastEventId, after);
        queries.study(caller.team(), studyId).await().atMost(config.queryTimeout().plus(Duration.ofSeconds(1)));
        return streams.follow(caller.team(), studyId, from).map(item -> switch (item) {
            case StudyStreams.Item.Event event -> sse.newEventBuilder()
                    .id(Long.toString(event.sequence()))
                    .name(event.type())
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(event.json())
                    .build();
            case StudyStreams.Item.Heartbeat heartbeat -> sse.newEventBuilder().comment("heartbeat").build();
            case StudyStreams.Item.End end -> throw new IllegalStateException("end marker is never emitted");
        });
    }

    private static long resumePoint(String lastEventId, Long after) {
        String raw = lastEventId != null && !lastEventId.isBlank() ? lastEventId.strip()
                : after == null ? "0" : after.toString();
        try {
            long value = Long.parseLong(raw);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException("Last-Event-ID / after must be a study sequence number (>= 0), not '" + raw + "'");
    }
}
