package dev.seedloop.cli.watch;

import java.util.Locale;

import dev.seedloop.queries.Views.ModelSpendView;

/**
 * A study's language-model spend in one phrase, the same in {@code study get} and {@code study watch}, e.g.
 * {@code 12 calls, 48.2k tokens, $0.31 (projected $1.02 of $5.00 cap)}: calls (failed and replayed ones named when
 * there are any), billed tokens, billed cost, and the projection with the caps the spec set.
 */
public final class ModelSpendText {

    private ModelSpendText() {
    }

    public static String of(ModelSpendView spend) {
        StringBuilder text = new StringBuilder();
        text.append(count(spend.calls(), spend.maxCalls()))
                .append(spend.calls() == 1 && spend.maxCalls() == null ? " call" : " calls");
        if (spend.failedCalls() > 0 || spend.replayedCalls() > 0) {
            text.append(" (");
            if (spend.failedCalls() > 0) {
                text.append(spend.failedCalls()).append(" failed");
            }
            if (spend.replayedCalls() > 0) {
                text.append(spend.failedCalls() > 0 ? ", " : "").append(spend.replayedCalls()).append(" replayed");
            }
            text.append(')');
        }
        long tokens = spend.tokensIn() + spend.tokensOut();
        text.append(", ").append(spend.maxTokens() == null ? tokens(tokens)
                : tokens(tokens) + "/" + tokens(spend.maxTokens())).append(" tokens");
        text.append(", ").append(usd(spend.costUsd()));
        if (spend.projectedCostUsd() != null) {
            text.append(" (projected ").append(usd(spend.projectedCostUsd()));
            text.append(spend.maxCostUsd() == null ? ")" : " of " + usd(spend.maxCostUsd()) + " cap)");
        } else if (spend.maxCostUsd() != null) {
            text.append(" (of ").append(usd(spend.maxCostUsd())).append(" cap)");
        }
        return text.toString();
    }

    private static String count(long value, Long cap) {
        return cap == null ? Long.toString(value) : value + "/" + cap;
    }

    /** 812, 48.2k, 1.25M: a person compares magnitudes, not digits. */
    static String tokens(long tokens) {
        if (tokens < 1_000) {
            return Long.toString(tokens);
        }
        if (tokens < 1_000_000) {
            return trim(String.format(Locale.ROOT, "%.1f", tokens / 1_000.0)) + "k";
        }
        return trim(String.format(Locale.ROOT, "%.2f", tokens / 1_000_000.0)) + "M";
    }

    /** Cents, or four decimals below one cent so a cheap study does not read as free. */
    static String usd(double dollars) {
        return dollars > 0 && dollars < 0.01 ? String.format(Locale.ROOT, "$%.4f", dollars)
                : String.format(Locale.ROOT, "$%.2f", dollars);
    }

    private static String trim(String number) {
        return number.contains(".") ? number.replaceAll("0+$", "").replaceAll("\\.$", "") : number;
    }
}
