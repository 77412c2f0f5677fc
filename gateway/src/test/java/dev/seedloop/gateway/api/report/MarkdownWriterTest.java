package dev.seedloop.gateway.api.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.gateway.api.report.Report.Cell;
import dev.seedloop.gateway.api.report.Report.Code;
import dev.seedloop.gateway.api.report.Report.Paragraph;
import dev.seedloop.gateway.api.report.Report.Text;

class MarkdownWriterTest {

    private static final String HOSTILE = "<script>alert(1)</script> [x](javascript:evil) **b** | `t` & ~s~";

    @Test
    void textCannotBecomeMarkupOrHtml() {
        assertThat(MarkdownWriter.text(HOSTILE)).isEqualTo(
                "\\<script\\>alert(1)\\</script\\> \\[x\\](javascript:evil) \\*\\*b\\*\\* \\| \\`t\\` \\& \\~s\\~");
        assertThat(MarkdownWriter.text("val_loss _emph_ 2_")).isEqualTo("val_loss \\_emph\\_ 2\\_");
        assertThat(MarkdownWriter.text("line one\n## line two\r\n- three")).isEqualTo("line one \\#\\# line two - three");
    }

    @Test
    void codeSpansOutlastTheBackticksInsideAndKeepTablesWhole() {
        assertThat(MarkdownWriter.code("a``b", false)).isEqualTo("```a``b```");
        assertThat(MarkdownWriter.code("`x", false)).isEqualTo("`` `x ``");
        assertThat(MarkdownWriter.code("a|b", true)).isEqualTo("`a\\|b`");
    }

    @Test
    void aParagraphStaysAParagraph() {
        assertThat(MarkdownWriter.lineStart("- item")).isEqualTo("\\- item");
        assertThat(MarkdownWriter.lineStart("    12. indented")).isEqualTo("12\\. indented");
        assertThat(MarkdownWriter.lineStart("=== ")).isEqualTo("\\=== ");
        assertThat(MarkdownWriter.lineStart("plain")).isEqualTo("plain");
    }

    @Test
    void aFenceIsLongerThanAnyFenceInItsText() {
        String markdown = MarkdownWriter.write(new Report("t", List.of(new Report.Section("s",
                List.of(new Report.Preformatted("before\n```\n# heading?\n````\nafter\n"))))));

        assertThat(markdown).contains("`````text\nbefore\n```\n# heading?\n````\nafter\n`````\n");
    }

    @Test
    void aWholeReport() {
        Report report = new Report("Postmortem: <b>", List.of(new Report.Section("Study",
                List.of(Paragraph.of(new Text("metric "), new Code("val_loss")),
                        new Report.Table(List.of("key", "value"), List.of(List.of(Cell.text("a|b"), Cell.code(null))))))));

        assertThat(MarkdownWriter.write(report)).isEqualTo("""
                # Postmortem: \\<b\\>

                ## Study

                metric `val_loss`

                | key | value |
                |---|---|
                | a\\|b | — |
                """);
    }
}
