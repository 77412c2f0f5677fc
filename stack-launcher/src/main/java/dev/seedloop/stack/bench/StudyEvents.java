package dev.seedloop.stack.bench;

import java.util.ArrayList;
import java.util.List;

import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.Json;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.queries.Views.EventPage;
import dev.seedloop.queries.Views.StoredEventView;

/**
 * A study's stored events as the gateway's event API gives them to the study's team, page by page, decoded with the
 * contract's codec, with the sequence each was stored under.
 */
public final class StudyEvents {

    private static final EventCodec CODEC = new EventCodec();
    private static final int PAGE = 500;

    private StudyEvents() {
    }

    /** One stored event. */
    public record Stored(long sequence, EventEnvelope envelope) {
    }

    public static List<Stored> read(GatewayClient gateway, String studyId) {
        List<Stored> events = new ArrayList<>();
        long after = 0;
        while (true) {
            EventPage page = gateway.events(studyId, after, PAGE, List.of()).value();
            for (StoredEventView item : page.items()) {
                events.add(new Stored(item.sequence(), CODEC.decode(Json.write(item.event()))));
                after = item.sequence();
            }
            if (!page.more() || page.items().isEmpty()) {
                return events;
            }
        }
    }

    /** The envelopes alone, in store order. */
    public static List<EventEnvelope> envelopes(List<Stored> events) {
        return events.stream().map(Stored::envelope).toList();
    }
}
