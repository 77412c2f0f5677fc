package dev.seedloop.gateway.application;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.seedloop.gateway.config.GatewayConfig;
import dev.seedloop.gateway.messaging.JournalFeed;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * A study's live event stream: everything after a sequence number, in order, without gaps or repeats, then
 * new events as the learner stores them. The store (via queries) is the source of truth; the journal only
 * says "something new", so an event missed on the journal is fetched at the next wake-up or heartbeat.
 * Ends at the first quiet heartbeat after the study's terminal event.
 *
 * <p>A stream is pulled: the next page of events is read from the learner only once the connection has written the
 * previous one, so a subscriber holds at most one page ({@value #PAGE} events, fewer when the learner's byte bound cuts
 * the page) however far behind it is. A subscriber that stops reading is cut off after
 * {@code seedloop.gateway.stream-stall-timeout} ({@link StallCutOff}); it resumes with {@code Last-Event-ID}.
 */
@ApplicationScoped
public class StudyStreams {

    private static final int PAGE = 200;
    private static final Logger LOG = Logger.getLogger(StudyStreams.class);
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

    private final LongAdder cutOff = new LongAdder();

    /** How many subscribers this instance has cut off for not reading (since it started). */
    public long subscribersCutOff() {
        return cutOff.sum();
    }

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
        Multi<Item> stream = wakeUps
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
        return StallCutOff.guard(stream, config.streamStallTimeout(), Infrastructure.getDefaultWorkerPool(), () -> {
            cutOff.increment();
            LOG.infof("Cut off a live stream of study %s at sequence %d: its reader took nothing for %s", studyId,
                    last.get(), config.streamStallTimeout());
        });
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
