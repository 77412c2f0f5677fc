package dev.seedloop.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.checker.StateSource.Source;

/** The replay check compares each study's live state with its replays, and names the study whose replay differs. */
class ReplayCheckTest {

    @Test
    void equalStatesPass() throws Exception {
        CheckResult result = ReplayCheck.run(List.of("s1", "s2"), (study, source) -> "{\"study\":\"" + study + "\"}");

        assertThat(result.passed()).as(result.toString()).isTrue();
    }

    @Test
    void aReplayFromZeroThatDiffersFromLiveFails() throws Exception {
        StateSource learner = (study, source) -> study.equals("s2") && source == Source.SCRATCH
                ? "{\"study\":\"s2\",\"budgetUsed\":3}" : "{\"study\":\"" + study + "\",\"budgetUsed\":4}";

        CheckResult result = ReplayCheck.run(List.of("s1", "s2"), learner);

        assertThat(result.passed()).isFalse();
        assertThat(result.offenders()).singleElement().asString()
                .startsWith("study s2: replay from the first event sha256:")
                .contains("live '", "\"budgetUsed\":4}', replayed '", "\"budgetUsed\":3}'");
    }

    @Test
    void aReplayFromTheSnapshotThatDiffersFromLiveFails() throws Exception {
        StateSource learner = (study, source) -> source == Source.REPLAY ? "{}" : "{\"a\":1}";

        CheckResult result = ReplayCheck.run(List.of("s1"), learner);

        assertThat(result.offenders()).singleElement().asString().startsWith("study s1: replay from the latest snapshot");
    }
}
