package dev.seedloop.proposer.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventDecodingException;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.proposer.domain.Candidate;
import dev.seedloop.proposer.domain.CounterfactualReplay;

/**
 * {@code ./seedloop counterfactual study.jsonl [--strategy NAME] [--option key=value]...}: replays a recorded
 * study (one event envelope per line, as the demo and {@code seedloop events --output json} write them)
 * through a strategy and prints where its proposals diverge from the recorded ones and what it would
 * propose next. Without options it checks that today's strategy code reproduces the recording.
 */
public final class CounterfactualCommand {

    private CounterfactualCommand() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Path file = null;
        String strategy = null;
        Map<String, String> options = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--strategy" -> strategy = value(args, ++i);
                case "--option" -> {
                    String option = value(args, ++i);
                    int eq = option.indexOf('=');
                    if (eq < 1) {
                        err.println("--option needs key=value, not '" + option + "'");
                        return 2;
                    }
                    if (options == null) {
                        options = new LinkedHashMap<>();
                    }
                    options.put(option.substring(0, eq), option.substring(eq + 1));
                }
                default -> file = Path.of(args[i]);
            }
        }
        if (file == null) {
            err.println("usage: counterfactual STUDY.jsonl [--strategy NAME] [--option key=value]...");
            return 2;
        }
        List<EventEnvelope> events = new ArrayList<>();
        EventCodec codec = new EventCodec();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(codec.decode(line));
            } catch (EventDecodingException e) {
                err.println(file + ":" + lineNumber + ": not an event: " + e.getMessage());
                return 2;
            }
        }
        CounterfactualReplay.Report report;
        try {
            report = CounterfactualReplay.replay(events, strategy, options);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        print(report, out);
        return 0;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void print(CounterfactualReplay.Report report, PrintStream out) {
        out.printf("study %s: recorded with %s, replayed with %s %s%n", report.studyId(), report.recordedStrategy(),
                report.replayedStrategy(), report.replayedOptions());
        out.printf("%d of %d proposals reproduced; %s%n", report.matching(), report.decisions().size(),
                report.firstDivergence() == null ? "no divergence"
                        : "first divergence at proposal #" + report.firstDivergence());
        for (CounterfactualReplay.Decision decision : report.decisions()) {
            if (!decision.matches()) {
                out.printf("  #%d recorded %s %s%n      replayed %s %s%n", decision.ordinal(),
                        decision.recordedOperator(), decision.recordedParameters(), decision.replayedOperator(),
                        decision.replayedParameters());
            }
        }
        out.println("would propose next:");
        for (Candidate candidate : report.next()) {
            out.printf("  #%d %s %s%n", candidate.ordinal(), candidate.operator(), candidate.parameters());
        }
    }
}
