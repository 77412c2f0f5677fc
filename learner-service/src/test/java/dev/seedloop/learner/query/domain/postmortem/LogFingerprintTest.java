package dev.seedloop.learner.query.domain.postmortem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogFingerprintTest {

    private static final String CRASH = """
            2026-01-01T10:00:03.114Z epoch 3/20 loss=0.5131
            Traceback (most recent call last):
              File "/tmp/seedloop/ws-7f3a9c1e/train.py", line 42, in step
                out = model(batch)
            RuntimeError: CUDA error at 0x7ffe1234abcd: out of memory (tried to allocate 2.50 GiB)
            """;

    @Test
    void theSameCrashWithOtherNumbersPathsIdsAndTimesHasTheSameFingerprint() {
        String again = """
                [12:44:09] warming up
                2026-03-17 08:12:55,001 epoch 11/20 loss=0.3302
                Traceback (most recent call last):
                  File "/var/tmp/exp-99c1/train.py", line 42, in step
                    out = model(batch)
                RuntimeError: CUDA error at 0x55aa00c0ffee: out of memory (tried to allocate 3.75 GiB)
                """;

        assertThat(LogFingerprint.of(again)).isEqualTo(LogFingerprint.of(CRASH));
        assertThat(LogFingerprint.signature(CRASH)).isEqualTo("""
                <ts> epoch <n>/<n> loss=<n>
                Traceback (most recent call last):
                File "<path>/train.py", line <n>, in step
                out = model(batch)
                RuntimeError: CUDA error at <hex>: out of memory (tried to allocate <n> GiB)""");
    }

    @Test
    void anotherMessageOrAnotherFileIsAnotherShape() {
        assertThat(LogFingerprint.of(CRASH.replace("out of memory", "illegal memory access")))
                .isNotEqualTo(LogFingerprint.of(CRASH));
        assertThat(LogFingerprint.of(CRASH.replace("train.py", "model.py"))).isNotEqualTo(LogFingerprint.of(CRASH));
    }

    @Test
    void uuidsAndHashesAreIdsButIdentifiersWithDigitsAndWordsStay() {
        assertThat(LogFingerprint.normalise("experiment 0193f7c0-0000-7000-8000-000000000001 on resnet50 float32"
                + " commit 3fa2c1d9e0b1 deadline"))
                .isEqualTo("experiment <id> on resnet50 float32 commit <hex> deadline");
        assertThat(LogFingerprint.normalise("val_loss=1.5e-3 step -12  done")).isEqualTo("val_loss=<n> step -<n> done");
    }

    @Test
    void onlyTheLastLinesCountAndRepeatsCollapse() {
        String progress = "epoch 1 loss=0.9\n".repeat(3) + "a\nb\nc\nd\ne\n";
        assertThat(LogFingerprint.signature(progress)).isEqualTo("a\nb\nc\nd\ne");
        assertThat(LogFingerprint.signature("retry 1 failed\nretry 2 failed\nretry 3 failed\ngave up"))
                .isEqualTo("retry <n> failed\ngave up");
        assertThat(LogFingerprint.of("x\n".repeat(10) + "a\nb\nc\nd\ne"))
                .isEqualTo(LogFingerprint.of("y\na\nb\nc\nd\ne\n"));
    }

    @Test
    void anEmptyTailHasAFingerprintToo() {
        assertThat(LogFingerprint.signature("")).isEmpty();
        assertThat(LogFingerprint.of("")).hasSize(12).isEqualTo(LogFingerprint.of("\n  \n"));
    }

    @Test
    void veryLongLinesAreCut() {
        assertThat(LogFingerprint.signature("E".repeat(10_000))).hasSize(LogFingerprint.LINE_LENGTH);
    }
}
