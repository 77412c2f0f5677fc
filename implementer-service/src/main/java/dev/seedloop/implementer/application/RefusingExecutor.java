package dev.seedloop.implementer.application;

import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.RunRequest;

/** Runs nothing: every run is refused with an explanation, so experiments fail with SANDBOX_REFUSED. */
public final class RefusingExecutor implements ExperimentExecutor {

    private final String explanation;

    public RefusingExecutor(String explanation) {
        this.explanation = explanation;
    }

    @Override
    public String name() {
        return "refusing";
    }

    @Override
    public RawRun run(RunRequest request) {
        return RawRun.refused(explanation);
    }
}
