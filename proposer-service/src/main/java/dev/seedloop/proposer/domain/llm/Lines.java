package dev.seedloop.proposer.domain.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * A text file as the artifact store splits it for diffs: lines without their '\n' (a '\r' stays part of its line),
 * and whether the last line ended with a newline. Splitting and joining are exact inverses, so an edit made on lines
 * changes nothing else in the file.
 */
record Lines(List<String> lines, boolean finalNewline) {

    Lines {
        lines = List.copyOf(lines);
    }

    static Lines of(String text) {
        if (text.isEmpty()) {
            return new Lines(List.of(), true);
        }
        boolean finalNewline = text.endsWith("\n");
        String body = finalNewline ? text.substring(0, text.length() - 1) : text;
        return new Lines(new ArrayList<>(List.of(body.split("\n", -1))), finalNewline);
    }

    String text() {
        if (lines.isEmpty()) {
            return "";
        }
        return String.join("\n", lines) + (finalNewline ? "\n" : "");
    }

    int size() {
        return lines.size();
    }
}
