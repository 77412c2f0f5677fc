package dev.seedloop.gateway.api.report;

import java.util.List;

/**
 * Writes a {@link Report} as CommonMark with GitHub tables. Nothing in the text can become markup: ASCII
 * punctuation that means something in Markdown is backslash-escaped (so {@code <script>} shows as text,
 * never as raw HTML, and {@code [a](b)} as text, never as a link), code spans and fences are longer than any
 * run of backticks inside them, and line breaks inside a paragraph or cell become spaces, so untrusted text
 * cannot start a heading, a list or a new table row.
 */
public final class MarkdownWriter {

    /** Always escaped. An underscore only where it could start or end emphasis (not in {@code val_loss}). */
    private static final String SPECIAL = "\\`*[]<>|~&#";

    private MarkdownWriter() {
    }

    public static String write(Report report) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(text(report.title())).append("\n");
        for (Report.Section section : report.sections()) {
            out.append("\n## ").append(text(section.title())).append("\n");
            for (Report.Block block : section.blocks()) {
                out.append('\n');
                block(out, block);
            }
        }
        return out.toString();
    }

    private static void block(StringBuilder out, Report.Block block) {
        switch (block) {
            case Report.Heading h -> out.append("### ").append(text(h.text())).append('\n');
            case Report.Paragraph p -> out.append(lineStart(spans(p.spans(), false))).append('\n');
            case Report.Table t -> table(out, t);
            case Report.Preformatted p -> {
                String fence = "`".repeat(Math.max(3, longestRun(p.text(), '`') + 1));
                String body = p.text().stripTrailing();
                out.append(fence).append("text\n").append(body).append(body.isEmpty() ? "" : "\n").append(fence)
                        .append('\n');
            }
        }
    }

    private static void table(StringBuilder out, Report.Table t) {
        out.append('|');
        t.headers().forEach(h -> out.append(' ').append(text(h)).append(" |"));
        out.append("\n|");
        t.headers().forEach(h -> out.append("---|"));
        out.append('\n');
        for (List<Report.Cell> row : t.rows()) {
            out.append('|');
            row.forEach(cell -> out.append(' ').append(spans(cell.spans(), true)).append(" |"));
            out.append('\n');
        }
    }

    private static String spans(List<Report.Span> spans, boolean inTable) {
        StringBuilder out = new StringBuilder();
        for (Report.Span span : spans) {
            switch (span) {
                case Report.Text t -> out.append(text(t.text()));
                case Report.Strong s -> out.append("**").append(text(s.text())).append("**");
                case Report.Code c -> out.append(code(c.text(), inTable));
            }
        }
        return out.toString();
    }

    /** Text that renders as exactly itself, on one line. */
    static String text(String raw) {
        String s = oneLine(raw);
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean intraword = c == '_' && i > 0 && i < s.length() - 1
                    && Character.isLetterOrDigit(s.charAt(i - 1)) && Character.isLetterOrDigit(s.charAt(i + 1));
            if (SPECIAL.indexOf(c) >= 0 || (c == '_' && !intraword)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * A code span: its content is literal, so only its delimiters need care. In a table a pipe still ends the
     * cell, even inside a code span (GitHub's table rule), so it is escaped there.
     */
    static String code(String raw, boolean inTable) {
        String s = oneLine(raw);
        if (inTable) {
            s = s.replace("|", "\\|");
        }
        String ticks = "`".repeat(longestRun(s, '`') + 1);
        // A span starting or ending with a backtick needs a space inside its delimiters.
        String pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
        return ticks + pad + s + pad + ticks;
    }

    /**
     * A paragraph must stay a paragraph: text at the start of a line that would open a list, a thematic break,
     * a setext heading or an indented code block is escaped or trimmed.
     */
    static String lineStart(String line) {
        String s = line.stripLeading();
        if (!s.isEmpty() && "-+=".indexOf(s.charAt(0)) >= 0) {
            return "\\" + s;
        }
        int digits = 0;
        while (digits < s.length() && Character.isDigit(s.charAt(digits))) {
            digits++;
        }
        if (digits > 0 && digits < s.length() && (s.charAt(digits) == '.' || s.charAt(digits) == ')')) {
            return s.substring(0, digits) + "\\" + s.substring(digits);
        }
        return s;
    }

    private static String oneLine(String raw) {
        return raw == null ? "" : raw.replaceAll("[\\r\\n\\u2028\\u2029]+", " ");
    }

    private static int longestRun(String s, char c) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = s.charAt(i) == c ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
