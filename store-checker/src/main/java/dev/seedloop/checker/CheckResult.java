package dev.seedloop.checker;

import java.util.List;

/**
 * One invariant's verdict: its name, what it asserts, and the offenders (empty when it holds), each a line naming the
 * ids involved so that an operator can look them up in the store.
 */
public record CheckResult(String name, String asserts, List<String> offenders) {

    /** At most this many offenders are listed in {@link #toString()}; {@link #offenders()} keeps them all. */
    static final int SHOWN = 20;

    public CheckResult {
        offenders = List.copyOf(offenders);
    }

    public boolean passed() {
        return offenders.isEmpty();
    }

    @Override
    public String toString() {
        if (passed()) {
            return "PASS " + name + ": " + asserts;
        }
        StringBuilder text = new StringBuilder("FAIL " + name + ": " + asserts + "; " + offenders.size()
                + " violation(s):");
        offenders.stream().limit(SHOWN).forEach(o -> text.append("\n    ").append(o));
        if (offenders.size() > SHOWN) {
            text.append("\n    ... and ").append(offenders.size() - SHOWN).append(" more");
        }
        return text.toString();
    }
}
