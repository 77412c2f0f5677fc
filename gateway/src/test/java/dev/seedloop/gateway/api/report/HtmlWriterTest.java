package dev.seedloop.gateway.api.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.gateway.api.report.Report.Cell;
import dev.seedloop.gateway.api.report.Report.Code;
import dev.seedloop.gateway.api.report.Report.Paragraph;
import dev.seedloop.gateway.api.report.Report.Strong;

class HtmlWriterTest {

    private static final String HOSTILE = "</pre><script>alert('x')</script><img src=x onerror=\"y\">&amp;";

    @Test
    void everyPieceOfTextIsEscaped() {
        Report report = new Report(HOSTILE, List.of(new Report.Section(HOSTILE, List.of(
                new Report.Heading(HOSTILE),
                Paragraph.of(new Strong(HOSTILE), new Code(HOSTILE)),
                new Report.Table(List.of(HOSTILE), List.of(List.of(Cell.text(HOSTILE)))),
                new Report.Preformatted(HOSTILE)))));

        String html = HtmlWriter.write(report);

        assertThat(html).doesNotContain("<script", "<img", "</pre><")
                .contains("&lt;/pre&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=&quot;y&quot;&gt;"
                        + "&amp;amp;");
        assertThat(html).contains("<pre>&lt;/pre&gt;&lt;script&gt;");
    }

    @Test
    void thePageIsSelfContained() {
        String html = HtmlWriter.write(new Report("t", List.of()));

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">", "<style>")
                .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;;")
                .doesNotContain("<script", "<link", "src=", "href=", "http://", "https://", "@import", "url(");
    }

    @Test
    void structure() {
        String html = HtmlWriter.write(new Report("T", List.of(new Report.Section("S", List.of(
                new Report.Table(List.of("k", "v"), List.of(List.of(Cell.text("a"), Cell.code("b")))))))));

        assertThat(html).contains("<h1>T</h1>", "<section>\n<h2>S</h2>",
                "<thead><tr><th>k</th><th>v</th></tr></thead>", "<tr><td>a</td><td><code>b</code></td></tr>");
    }
}
