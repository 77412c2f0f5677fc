package dev.seedloop.learner.query.application.postmortem;

import static dev.seedloop.learner.query.application.postmortem.StudyScript.proposal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.ValidationResult;
import dev.seedloop.events.Verdict;
import dev.seedloop.queries.PostmortemView;

/** The postmortem of a study whose proposals a model wrote: what each champion was asked and cost, and the spend. */
class PostmortemModelSpendTest {

    private static final String PROMPT = ContentHash.sha256("the prompt");
    private static final String ANSWER = ContentHash.sha256("the answer");

    private final StudyScript s = new StudyScript();

    @Test
    void aChampionSaysWhatTheModelWasAskedAndTheEndTellsTheSpend() {
        s.created(0, PromotionPolicy.AUTO, "alice");
        call(0.5, 0, false, 0.02, null);
        call(0.6, 0, true, 0.0, null);
        call(0.7, 1, false, 0.01, "timeout after 3 attempts");
        s.proposed(1, 0, "mutate@small/default");
        s.started(2, 0);
        s.completed(3, 0, 0.4, ResourceUsage.NONE, new ValidationResult(true, "", ""), null);
        s.evaluated(4, 0, Verdict.NEW_CHAMPION, "first", 0.4, null, true, null);
        s.champion(4.5, null, 0, null, 0.4);
        s.add(5, null, Services.LEARNER, new StudyCompleted("model-budget-exhausted: cost 0.03/0.03", proposal(0),
                0.4, 1));

        PostmortemView view = s.builder().build();

        assertThat(view.timeline()).filteredOn(e -> e.kind().equals("champion")).singleElement()
                .extracting(PostmortemView.TimelineEntry::summary).asString()
                .endsWith("; asked small/default (prompt " + PROMPT + ", answer " + ANSWER
                        + "), 2 calls, 150 tokens, $0.02");
        assertThat(view.timeline()).filteredOn(e -> e.kind().equals("completed")).singleElement()
                .extracting(PostmortemView.TimelineEntry::summary).asString()
                .startsWith("completed (model-budget-exhausted: cost 0.03/0.03) after 1 experiments")
                .endsWith("; model spend: 3 calls (1 replayed, 1 failed), 300 tokens, $0.03");
        assertThat(view.study().endReason()).isEqualTo("model-budget-exhausted: cost 0.03/0.03");
    }

    private void call(double at, int n, boolean replayed, double cost, String failure) {
        UUID id = EventIds.derived(proposal(n), "call-" + at);
        s.add(at, null, Services.PROPOSER, new ModelCallCompleted(id, proposal(n), n, "small", "default",
                "mutate@small/default", PROMPT, 900, failure == null ? ANSWER : null, failure == null ? 300 : 0,
                100, 50, 40, cost, 1, replayed, failure));
    }
}
