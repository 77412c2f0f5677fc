package dev.seedloop.checker;

import java.util.ArrayList;
import java.util.List;

/** Every check's result, in the order they ran; passes only when each did. */
public record CheckReport(List<CheckResult> results) {

    public CheckReport {
        results = List.copyOf(results);
    }

    public boolean passed() {
        return results.stream().allMatch(CheckResult::passed);
    }

    public List<CheckResult> failures() {
        return results.stream().filter(r -> !r.passed()).toList();
    }

    public CheckReport with(CheckResult... more) {
        List<CheckResult> all = new ArrayList<>(results);
        all.addAll(List.of(more));
        return new CheckReport(all);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        results.forEach(r -> text.append(r).append('\n'));
        text.append(passed() ? "VERDICT: every invariant holds (" + results.size() + " checks)"
                : "VERDICT: " + failures().size() + " of " + results.size() + " checks failed");
        return text.toString();
    }
}
