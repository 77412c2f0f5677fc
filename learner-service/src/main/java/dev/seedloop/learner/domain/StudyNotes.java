package dev.seedloop.learner.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.seedloop.events.Direction;
import dev.seedloop.events.Observation;

/**
 * The learner's notes for an llm study (StrategyUpdated.notes): what worked and what did not, for the prompt's
 * running notes section. Rebuilt every {@code notes-every} evaluations: a request's notes are those of the longest
 * prefix of its history (results by ordinal, ADR 0021) holding a multiple of {@code notesEvery} of the study's own
 * results, so requests between two rebuilds carry the same notes and the notes are a function of the results by
 * ordinal like the rest of a request. Pure, short (at most {@link #MAX_CHARS} characters), in a fixed order: the
 * best value so far, the arms that improved on their parents and by how much, the arms that did not, the failures
 * by arm and their commonest reasons.
 */
public final class StudyNotes {

    /** The longest notes: a paragraph for a prompt, not a report. */
    public static final int MAX_CHARS = 1500;
    /** Failure reasons named, the commonest first. */
    static final int REASONS_NAMED = 3;

    private StudyNotes() {
    }

    /** The notes for a request with {@code history}; null before the first {@code notesEvery} results. */
    public static String of(StudyState s, List<Observation> history, int notesEvery) {
        List<Observation> upTo = new ArrayList<>();
        int own = 0;
        for (Observation o : history) {
            Lineage l = s.lineage().get(o.proposalId());
            if (l != null && l.inheritedFrom() == null) {
                own++;
            }
        }
        int counted = own / notesEvery * notesEvery;
        if (counted == 0) {
            return null;
        }
        int seen = 0;
        for (Observation o : history) {
            Lineage l = s.lineage().get(o.proposalId());
            boolean mine = l != null && l.inheritedFrom() == null;
            if (mine && seen == counted) {
                break;
            }
            seen += mine ? 1 : 0;
            upTo.add(o);
        }
        return write(s, upTo, counted);
    }

    private static String write(StudyState s, List<Observation> history, int counted) {
        Direction direction = s.objective() == null ? Direction.MINIMIZE : s.objective().direction();
        Observation best = null;
        for (Observation o : history) {
            if (o.value() != null && (best == null || direction.isBetter(o.value(), best.value()))) {
                best = o;
            }
        }
        TreeMap<String, YieldBandit.Arm> arms = YieldBandit.tally(s, history);
        StringBuilder notes = new StringBuilder(String.format(Locale.ROOT, "After %d evaluations: ", counted));
        notes.append(best == null ? "no valid result yet."
                : String.format(Locale.ROOT, "best %s %s (ordinal %d, %s).",
                s.objective() == null ? "value" : s.objective().metric(), number(best.value()), best.ordinal(),
                best.operator()));
        List<String> improved = new ArrayList<>();
        List<String> flat = new ArrayList<>();
        arms.forEach((op, a) -> {
            if (a.improved() > 0) {
                improved.add(String.format(Locale.ROOT, "%s %d of %d (by %s in all)", op, a.improved(), a.trials(),
                        number(a.improvement())));
            } else {
                flat.add(String.format(Locale.ROOT, "%s (%d)", op, a.trials()));
            }
        });
        if (!improved.isEmpty()) {
            notes.append(" Improved on their parents: ").append(String.join("; ", improved)).append('.');
        }
        if (!flat.isEmpty()) {
            notes.append(" No improvement: ").append(String.join(", ", flat)).append('.');
        }
        List<String> failedArms = new ArrayList<>();
        int failures = 0;
        for (Map.Entry<String, YieldBandit.Arm> e : arms.entrySet()) {
            if (e.getValue().failed() > 0) {
                failedArms.add(e.getKey() + " " + e.getValue().failed());
                failures += e.getValue().failed();
            }
        }
        if (failures > 0) {
            notes.append(String.format(Locale.ROOT, " Failed %d of %d (%s)", failures, counted,
                    String.join(", ", failedArms)));
            String reasons = commonestReasons(s, history);
            notes.append(reasons.isEmpty() ? "." : "; commonest: " + reasons + ".");
        }
        return notes.length() <= MAX_CHARS ? notes.toString() : notes.substring(0, MAX_CHARS - 1) + "…";
    }

    /** The kinds of failure (a failure's text up to its first colon), the commonest first, ties by name. */
    private static String commonestReasons(StudyState s, List<Observation> history) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Observation o : history) {
            Lineage l = s.lineage().get(o.proposalId());
            if (o.value() == null && o.failure() != null && l != null && l.inheritedFrom() == null) {
                int colon = o.failure().indexOf(':');
                counts.merge((colon < 0 ? o.failure() : o.failure().substring(0, colon)).strip(), 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> named = new LinkedHashMap<>();
        ranked.stream().limit(REASONS_NAMED).forEach(e -> named.put(e.getKey(), e.getValue()));
        List<String> parts = new ArrayList<>();
        named.forEach((reason, n) -> parts.add(reason + " (" + n + ")"));
        return String.join(", ", parts);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
                .replaceAll("\\.(e|$)", "$1");
    }
}
