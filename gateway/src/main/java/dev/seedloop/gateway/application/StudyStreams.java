package dev.seedloop.gateway.application;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.seedloop.gateway.config.GatewayConfig;
import dev.seedloop.gateway.messaging.JournalFeed;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Multi;

/**
 * A study's live event stream: everything after a sequence number, in order, without gaps or repeats, then
 * new events as the learner stores them. The store (via queries) is the source of truth; the journal only
 * says "something new", so an event missed on the journal is fetched at the next wake-up or heartbeat.
 * Ends at the first quiet heartbeat after the study's terminal event.
 */
@ApplicationScoped
public class StudyStreams {

    private static final int PAGE = 200;
    private static final List<String> TERMINAL = List.of("seedloop.study.completed", "seedloop.study.halted");

    /** An item of the stream: an event, or a heartbeat to keep idle connections (and proxies) open. */
    public sealed interface Item {
        record Event(long sequence, String type, String json) implements Item {
        }

        record Heartbeat() implements Item {
        }

        /** Internal: the study ended and went quiet; the stream completes here. */
        record End() implements Item {
        }
    }

    @Inject
    LearnerQueries queries;

    @Inject
    JournalFeed journal;

    @Inject
    GatewayConfig config;

    /** The caller's access to the study must have been checked already. */
    public Multi<Item> follow(String team, String studyId, long after) {
        AtomicLong last = new AtomicLong(after);
        AtomicBoolean ended = new AtomicBoolean(false);
        // Wake-ups: once at start, on each journal entry of this study, and on every heartbeat tick (FALSE).
        Multi<Boolean> wakeUps = Multi.createBy().merging().streams(
                Multi.createFrom().item(Boolean.TRUE),
                journal.studiesWithNews().filter(studyId::equals).map(study -> Boolean.TRUE)
                        .onOverflow().drop(),
                Multi.createFrom().ticks().every(config.streamHeartbeat()).map(tick -> Boolean.FALSE)
                        .onOverflow().drop());
        return wakeUps
                .onItem().transformToMultiAndConcatenate(woken -> {
                    Multi<Item> fresh = catchUp(team, studyId, last, ended);
                    if (woken) {
                        return fresh;
                    }
                    // A quiet tick: keep the connection alive, or end it once the study has ended (its last
                    // events, e.g. failures of halted experiments, have had a heartbeat to arrive).
                    return fresh.onCompletion().ifEmpty().switchTo(() -> Multi.createFrom()
                            .item(ended.get() ? new Item.End() : new Item.Heartbeat()));
                })
                .select().first(item -> !(item instanceof Item.End));
    }

    private Multi<Item> catchUp(String team, String studyId, AtomicLong last, AtomicBoolean ended) {
        return Multi.createBy().repeating()
                .uni(() -> queries.events(team, studyId, last.get(), PAGE, List.of()))
                .whilst(Views.EventPage::more)
                .onItem().transformToIterable(Views.EventPage::items)
                .select().where(stored -> stored.sequence() > last.get())
                .map(stored -> {
                    last.set(stored.sequence());
                    Item.Event event = new Item.Event(stored.sequence(), stored.event().path("type").asText(),
                            stored.event().toString());
                    if (isTerminal(event)) {
                        ended.set(true);
                    }
                    return (Item) event;
                });
    }

    private static boolean isTerminal(Item.Event event) {
        return TERMINAL.contains(event.type());
    }
}
