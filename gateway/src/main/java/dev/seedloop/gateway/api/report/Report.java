package dev.seedloop.gateway.api.report;

import java.util.Arrays;
import java.util.List;

/**
 * A report as structure, rendered by {@link MarkdownWriter} and {@link HtmlWriter}: what to say is decided once,
 * how to write it (and how to escape it) by each writer. Text in a report is raw, whatever its source; the writers
 * escape all of it, so untrusted text (experiment logs, reasons people typed) needs no care where it is put here.
 */
public record Report(String title, List<Section> sections) {

    public Report {
        sections = List.copyOf(sections);
    }

    public record Section(String title, List<Block> blocks) {
        public Section {
            blocks = List.copyOf(blocks);
        }
    }

    /** A part of a section. */
    public sealed interface Block permits Heading, Paragraph, Table, Preformatted {
    }

    /** A heading inside a section. */
    public record Heading(String text) implements Block {
    }

    public record Paragraph(List<Span> spans) implements Block {
        public Paragraph {
            spans = List.copyOf(spans);
        }

        public static Paragraph of(Span... spans) {
            return new Paragraph(Arrays.asList(spans));
        }

        public static Paragraph text(String text) {
            return of(new Text(text));
        }
    }

    /** Rows have as many cells as there are headers. */
    public record Table(List<String> headers, List<List<Cell>> rows) implements Block {
        public Table {
            headers = List.copyOf(headers);
            rows = rows.stream().map(List::copyOf).toList();
            for (List<Cell> row : rows) {
                if (row.size() != headers.size()) {
                    throw new IllegalArgumentException("a row of " + row.size() + " cells under " + headers.size()
                            + " headers");
                }
            }
        }
    }

    /** Text shown as it is, line by line (a log, a signature). */
    public record Preformatted(String text) implements Block {
    }

    public record Cell(List<Span> spans) {
        public Cell {
            spans = List.copyOf(spans);
        }

        public static Cell of(Span... spans) {
            return new Cell(Arrays.asList(spans));
        }

        /** Plain text; null shows as an em dash. */
        public static Cell text(String text) {
            return of(new Text(text == null ? "—" : text));
        }

        /** An identifier or value shown as code; null shows as an em dash. */
        public static Cell code(String text) {
            return text == null ? text(null) : of(new Code(text));
        }
    }

    /** Inline content. */
    public sealed interface Span permits Text, Code, Strong {
    }

    public record Text(String text) implements Span {
    }

    /** An identifier, a number, a name from the system. */
    public record Code(String text) implements Span {
    }

    public record Strong(String text) implements Span {
    }
}
