package dev.seedloop.gateway.api.postmortem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.FilePatch;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.gateway.api.report.Report;
import dev.seedloop.gateway.domain.CodeLineage;
import dev.seedloop.queries.PostmortemView;

class CodeLineageReportTest {

    private static final String PROMPT = "sha256:" + "a".repeat(64);
    private static final String ANSWER = "sha256:" + "b".repeat(64);
    private static final UUID FIRST = UUID.fromString("0193f7c0-0000-7000-8000-0000000000a1");
    private static final UUID SECOND = UUID.fromString("0193f7c0-0000-7000-8000-0000000000a2");
    private static final UUID CALL = UUID.fromString("0193f7c0-0000-7000-8000-0000000000c1");

    private final PostmortemView view = PostmortemSamples.view();

    private static CodeLineage.View lineage() {
        CodeLineage lineage = new CodeLineage();
        lineage.accept(new ModelCallCompleted(CALL, FIRST, 0, "small", "terse", "mutate@small/terse", PROMPT, 120,
                ANSWER, 60, 1_802, 412, 1_500, 0.000934, 1, false, null));
        lineage.accept(new ProposalCreated(FIRST, 0, "llm", "mutate@small/terse", Map.of(), List.of(),
                List.of(FilePatch.diff("heuristic.py", "--- a/heuristic.py\n+++ b/heuristic.py\n@@ -1 +1 @@\n"
                        + "-return x\n+return x + 1 " + PostmortemSamples.HOSTILE + "\n")), null));
        lineage.accept(new ModelCallCompleted(UUID.randomUUID(), SECOND, 1, "large", "default", "crossover@large/default",
                PROMPT, 120, ANSWER, 60, 3_000, 1_000, 2_500, 0.25, 1, false, null));
        lineage.accept(new ProposalCreated(SECOND, 1, "llm", "crossover@large/default", Map.of(), List.of(FIRST),
                List.of(FilePatch.diff("heuristic.py", "@@ -1 +1 @@\n-return x + 1\n+return x + 2\n")), null));
        lineage.accept(new ChampionChanged(SECOND, FIRST, UUID.randomUUID(), 0.07));
        return lineage.view();
    }

    @Test
    void theCodeLineageFollowsTheChampionLineage() {
        Report report = PostmortemReport.of(view, lineage());

        assertThat(report.sections()).extracting(Report.Section::title).containsExactly("Study", "Totals", "Timeline",
                "Champion lineage", "Code lineage", "Yield per strategy and operator", "Failures",
                "Possible reward hacking", "Time queued per stage", "Halts, approvals and other interventions");
    }

    @Test
    void markdownShowsEachProposalsChangeModelTemplateTokensCostAndTheTotal() {
        String md = PostmortemFormat.MARKDOWN.render(view, lineage());

        assertThat(md).contains("## Code lineage")
                .contains("2 model calls (0 failed, 0 replayed), 4802 tokens in and 1412 out, $0.25 in all.")
                .contains("| \\#0 | `" + FIRST + "` | `mutate@small/terse` | the study's workspace | `small/terse` | 1 |"
                        + " 2214 | $0.0009 | pending |")
                .contains("| \\#1 | `" + SECOND + "` | `crossover@large/default` | \\#0 | `large/default` | 1 | 4000 |"
                        + " $0.25 | pending, champion |")
                .contains("### \\#1 crossover@large/default " + SECOND + " (champion)")
                .contains("call `" + CALL + "`: small/terse, 1802 + 412 tokens, $0.0009, 1.5 s; prompt `" + PROMPT
                        + "`; answer `" + ANSWER + "`")
                .contains("-return x + 1\n+return x + 2\n");
    }

    @Test
    void htmlQuotesAModelsDiffHarmlessly() {
        String html = PostmortemFormat.HTML.render(view, lineage());

        assertThat(html).contains("Code lineage").doesNotContain("<script>alert")
                .contains("+return x + 1 &lt;script&gt;");
    }
}
