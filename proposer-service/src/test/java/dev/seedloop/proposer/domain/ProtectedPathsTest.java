package dev.seedloop.proposer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.FilePatch;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyCreated;

/** A proposal whose patch set would change a protected path (the evaluator, the tests) is rejected. */
class ProtectedPathsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    /** Stands in for a code-writing strategy: one honest patch, one that edits the tests. */
    private static final Strategy PATCHING = new Strategy() {
        @Override
        public String name() {
            return "patching";
        }

        @Override
        public List<Candidate> propose(StrategyInput input, int count) {
            return List.of(
                    new Candidate(input.nextOrdinal(), Map.of("learning_rate", 0.01), "rewrite", List.of(),
                            List.of(new FilePatch("src/schedule.py", "def lr(step): return 0.01\n"))),
                    new Candidate(input.nextOrdinal() + 1, Map.of("learning_rate", 0.02), "rewrite", List.of(),
                            List.of(new FilePatch("src/x.py", "pass\n"), new FilePatch("tests/test_model.py", null),
                                    new FilePatch("evaluate.py", "print('{\"val_loss\": 0}')\n"))));
        }
    };

    @Test
    void patchesTouchingProtectedPathsAreRejectedWithEveryViolation() {
        EventEnvelope cause = SampleEvents.studyCreated(SampleEvents.newStudyId());
        StudyCreated study = (StudyCreated) cause.payload();
        assertThat(study.protectedPaths()).contains("tests/", "evaluate.py");
        StrategyInput input = new StrategyInput(study.searchSpace(), study.objective().direction(), study.seed(), 4,
                List.of(), Map.of(), Map.of());

        List<EventEnvelope> out = Proposer.propose(cause, study, input, 2, NOW, PATCHING);

        assertThat(out.get(0).payload()).isInstanceOfSatisfying(ProposalCreated.class, created -> {
            assertThat(created.ordinal()).isEqualTo(4);
            assertThat(created.patches()).extracting(FilePatch::path).containsExactly("src/schedule.py");
        });
        assertThat(out.get(1).payload()).isInstanceOfSatisfying(ProposalRejected.class, rejected -> {
            assertThat(rejected.proposalId()).isEqualTo(Proposer.proposalId(cause, 5));
            assertThat(rejected.violations()).containsExactly("evaluate.py", "tests/test_model.py");
        });
    }

    @Test
    void aProtectedDirectoryCoversEverythingBelowItButNotLookalikes() {
        List<FilePatch> patches = List.of(new FilePatch("tests", null), new FilePatch("tests/a/b.py", ""),
                new FilePatch("tests_extra/c.py", ""), new FilePatch("evaluate.py.bak", ""));

        assertThat(Proposer.protectedPathsTouched(patches, List.of("tests/", "evaluate.py")))
                .containsExactly("tests", "tests/a/b.py");
    }
}
