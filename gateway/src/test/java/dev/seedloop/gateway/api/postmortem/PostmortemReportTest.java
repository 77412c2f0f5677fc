package dev.seedloop.gateway.api.postmortem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.gateway.api.report.Report;
import dev.seedloop.queries.PostmortemView;

class PostmortemReportTest {

    private final PostmortemView view = PostmortemSamples.view();

    @Test
    void everyPartOfThePostmortemHasItsSection() {
        Report report = PostmortemReport.of(view);

        assertThat(report.title()).isEqualTo("Postmortem: lr-sweep");
        assertThat(report.sections()).extracting(Report.Section::title).containsExactly("Study", "Totals", "Timeline",
                "Champion lineage", "Yield per strategy and operator", "Failures", "Possible reward hacking",
                "Time queued per stage", "Halts, approvals and other interventions");
    }

    @Test
    void markdownTellsTheEvidenceAndQuotesLogsHarmlessly() {
        String md = PostmortemFormat.MARKDOWN.render(view);

        assertThat(md).startsWith("# Postmortem: lr-sweep\n")
                .contains("| 19 | 2026-01-01T00:01:01Z | `" + PostmortemSamples.CHAMPION + "` | `random` | 0.08 |"
                        + " mean 0.08 \\[0.076, 0.084\\], n = 3 | no test | passed | 0.085 |"
                        + " approved by bob after 26 s: looks right | first valid result |")
                .contains("| 0.08 → 0.07 | mean 0.07 \\[0.066, 0.074\\], n = 3 | p = 0.003 | passed | 0.075 |"
                        + " automatically |")
                .contains("| `implementer` | proposal created → experiment started | 8 | 1.88 s | 2 s | 3 s | 3 s |"
                        + " 15 s | 0 |")
                .contains("| `learner` | evaluation → decision | 0 | — | — | — | — | 0 ms | 3 |")
                .contains("| `validation-failed` | `" + PostmortemSamples.SUSPECT + "` | `mutate` | 0.05 vs 0.08 |"
                        + " 0.05 vs 0.085 |")
                .contains("**Compute** | 1 min 39 s wall, 1 min 32 s CPU, peak 4 MiB RSS");
        // The log sample holds a fence of its own: the block around it is longer, so it cannot be closed early.
        assertThat(md).contains("````text\nepoch 3/20\n<script>alert('pwned')</script>");
        // Outside code blocks, nothing hostile survives as markup.
        String outsideCode = md.replaceAll("(?s)````text.*?````\n", "").replaceAll("(?s)```text.*?```\n", "");
        assertThat(outsideCode).doesNotContain("<script>", "[link](").contains("\\<script\\>", "\\[link\\](");
    }

    @Test
    void htmlEscapesEveryUntrustedValue() {
        String html = PostmortemFormat.HTML.render(view);

        assertThat(html).doesNotContain("<script", "javascript:x)\"", "<a ")
                .contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;")
                .contains("<h3>crashed 3fa2c1d9e0b1 (2×)</h3>")
                .contains("<td><code>validation-failed</code></td>");
        assertThat(html.split("<script", -1)).hasSize(1);
    }

    @Test
    void aStudyWithNothingYetStillRenders() {
        PostmortemView empty = new PostmortemView("s-1", new PostmortemView.Study(null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null),
                new PostmortemView.Totals(0, 0, 0, 0, 0, 0, 0, 0, 0, new PostmortemView.Compute(0, 0, 0)), List.of(),
                List.of(), List.of(), new PostmortemView.Failures(List.of(), List.of()), List.of(), List.of(),
                List.of(), 0);

        assertThat(PostmortemFormat.MARKDOWN.render(empty)).startsWith("# Postmortem: s-1\n")
                .contains("No champion yet.", "No experiment failed.", "Nobody intervened.");
        assertThat(PostmortemFormat.HTML.render(empty)).contains("<h1>Postmortem: s-1</h1>");
    }

    @Test
    void durationsReadLikeAPersonWouldSayThem() {
        assertThat(PostmortemReport.duration(850L)).isEqualTo("850 ms");
        assertThat(PostmortemReport.duration(1875L)).isEqualTo("1.88 s");
        assertThat(PostmortemReport.duration(12_340L)).isEqualTo("12.3 s");
        assertThat(PostmortemReport.duration(245_000L)).isEqualTo("4 min 05 s");
        assertThat(PostmortemReport.duration(7_380_000L)).isEqualTo("2 h 03 min");
        assertThat(PostmortemReport.duration(null)).isNull();
    }
}
