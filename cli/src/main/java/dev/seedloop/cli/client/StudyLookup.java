package dev.seedloop.cli.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.seedloop.queries.Views.StudyView;

/**
 * Reads a study that may have just been created. The gateway acknowledges a creation once Kafka has the
 * event; the learner, which answers reads, stores it a moment later (longer right after the stack
 * started). So a 404 is asked again for a short grace period before it is believed.
 */
public final class StudyLookup {

    private static final Duration POLL = Duration.ofMillis(500);

    private StudyLookup() {
    }

    public static Answer<StudyView> await(GatewayClient gateway, String studyId, Clock clock, Sleeper sleeper,
                                          Duration grace) {
        Instant deadline = clock.instant().plus(grace);
        while (true) {
            try {
                return gateway.study(studyId);
            } catch (ApiException e) {
                if (e.status() != 404 || !clock.instant().isBefore(deadline)) {
                    throw e;
                }
            }
            try {
                sleeper.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCode.UNEXPECTED, "Interrupted while waiting for study " + studyId, e);
            }
        }
    }
}
