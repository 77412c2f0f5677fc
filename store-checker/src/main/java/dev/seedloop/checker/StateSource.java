package dev.seedloop.checker;

import java.io.IOException;

/** A study's folded state as the learner's canonical JSON ({@code StateJson}), from one of its sources. */
@FunctionalInterface
public interface StateSource {

    /** LIVE: what the learner decides with; REPLAY: a fold from the latest snapshot; SCRATCH: from the first event. */
    enum Source { LIVE, REPLAY, SCRATCH }

    String state(String studyId, Source source) throws IOException, InterruptedException;
}
