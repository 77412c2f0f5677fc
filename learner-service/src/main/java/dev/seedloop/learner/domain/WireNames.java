package dev.seedloop.learner.domain;

import java.util.Locale;

/**
 * The contract spells every enum constant in lower case with dashes ({@code NEW_CHAMPION} is
 * {@code "new-champion"}); views use the same spelling, derived here without reflection.
 */
public final class WireNames {

    private WireNames() {
    }

    public static String of(Enum<?> constant) {
        return constant == null ? null : constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
