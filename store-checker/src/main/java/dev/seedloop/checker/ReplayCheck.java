package dev.seedloop.checker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.seedloop.checker.StateSource.Source;

/**
 * Replay from zero equals live state: for every study, the learner's state folded from the first event (and the one
 * folded from its latest snapshot) must be byte for byte the state it decides with.
 */
public final class ReplayCheck {

    static final String NAME = "replay-from-zero-equals-live";

    private ReplayCheck() {
    }

    public static CheckResult run(List<String> studies, StateSource learner) throws IOException, InterruptedException {
        List<String> offenders = new ArrayList<>();
        for (String study : studies) {
            String live = learner.state(study, Source.LIVE);
            String scratch = learner.state(study, Source.SCRATCH);
            String replay = learner.state(study, Source.REPLAY);
            if (!scratch.equals(live)) {
                offenders.add("study " + study + ": replay from the first event " + digest(scratch) + " != live "
                        + digest(live) + firstDifference(live, scratch));
            }
            if (!replay.equals(live)) {
                offenders.add("study " + study + ": replay from the latest snapshot " + digest(replay) + " != live "
                        + digest(live) + firstDifference(live, replay));
            }
        }
        return new CheckResult(NAME, "for each of " + studies.size() + " studies the state replayed from zero (and "
                + "from its snapshot) equals the learner's live state", offenders);
    }

    private static String digest(String state) {
        return "sha256:" + StoreChecker.sha256(state).substring(0, 12);
    }

    private static String firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return " (first difference at character " + i + ": live '" + excerpt(a, i) + "', replayed '" + excerpt(b, i)
                + "')";
    }

    private static String excerpt(String s, int at) {
        return s.substring(Math.max(0, at - 20), Math.min(s.length(), at + 40));
    }
}
