package dev.seedloop.learner.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Dollar amounts as the learner writes them in reasons and notes: plain decimals, at most six places. */
public final class Money {

    private Money() {
    }

    public static String usd(double amount) {
        return BigDecimal.valueOf(amount).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
