package dev.seedloop.learner.query.application.postmortem;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.UUID;

/** Wording helpers for the postmortem's summaries. */
final class Text {

    private static final MathContext SIX_DIGITS = new MathContext(6);

    private Text() {
    }

    /** The first 8 hex digits: enough to tell a study's proposals apart in a sentence. */
    static String shortId(UUID id) {
        return id == null ? "?" : id.toString().substring(0, 8);
    }

    /** Six significant digits without trailing zeros: 0.08, not 0.0800000. */
    static String num(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(value).round(SIX_DIGITS).stripTrailingZeros().toPlainString();
    }

    static String num(Double value) {
        return value == null ? "none" : num(value.doubleValue());
    }

    /** At most {@code max} characters of the start, marked when cut; null stays null. */
    static String head(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max - 1) + "…";
    }

    /** The last {@code lines} lines and at most {@code max} characters of the end: a log's most telling part. */
    static String tail(String text, int lines, int max) {
        String[] all = text.strip().split("\\R");
        String kept = String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
        return kept.length() <= max ? kept : "…" + kept.substring(kept.length() - max + 1);
    }
}
