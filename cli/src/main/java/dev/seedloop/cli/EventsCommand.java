package dev.seedloop.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.Json;
import dev.seedloop.events.EventTypes;
import dev.seedloop.queries.Views.EventPage;
import dev.seedloop.queries.Views.StoredEventView;
import dev.seedloop.queries.Views.StudyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code seedloop events}: a study's stored events, paged from the gateway, then optionally the live
 * stream. Every line is one event, in study order, whichever source it came from.
 */
@Command(description = {"A study's events in order: sequence, time, type and payload.",
        "With --output json, one {\"sequence\", \"event\"} object per line (the gateway's stored-event items; "
                + "`jq .event` gives the envelope). --follow continues live until the study ends."})
final class EventsCommand implements Callable<Integer> {

    private static final int PAGE_SIZE = 100;

    private final Cli cli;

    @Parameters(paramLabel = "ID", description = "The study id.")
    String studyId;

    @Option(names = "--after", paramLabel = "N", description = "Only events with a study sequence above N (default 0).")
    long after;

    @Option(names = "--type", paramLabel = "T", description = "Only events of this type, e.g. "
            + EventTypes.CHAMPION_CHANGED + " (repeatable).")
    List<String> types = new ArrayList<>();

    @Option(names = "--follow", description = "After the stored events, follow new ones until the study ends.")
    boolean follow;

    EventsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        GatewayClient gateway = cli.gateway();
        // Known before paging, so a study that ends meanwhile is still followed to its end below.
        boolean ended = follow && isEnded(gateway.study(studyId).value());
        long last = after;
        EventPage page;
        do {
            page = gateway.events(studyId, last, PAGE_SIZE, types).value();
            for (StoredEventView item : page.items()) {
                print(item.sequence(), item.event());
                last = item.sequence();
            }
        } while (page.more() && !page.items().isEmpty());
        if (follow && !ended) {
            cli.stream(gateway).follow(studyId, last, event -> {
                if (types.isEmpty() || types.contains(event.event())) {
                    print(event.sequence(), Json.tree(event.data()));
                }
                return !EventTypes.STUDY_COMPLETED.equals(event.event())
                        && !EventTypes.STUDY_HALTED.equals(event.event());
            });
        }
        return ExitCode.OK;
    }

    private void print(long sequence, JsonNode envelope) {
        if (cli.json()) {
            cli.out().println(Json.write(new StoredEventView(sequence, envelope)));
        } else {
            TextViews.event(cli.out(), sequence, envelope);
        }
    }

    private static boolean isEnded(StudyView study) {
        return "completed".equals(study.status()) || "halted".equals(study.status());
    }
}
