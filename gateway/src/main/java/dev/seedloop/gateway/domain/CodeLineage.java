package dev.seedloop.gateway.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.FilePatch;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;

/**
 * The code lineage of a study whose proposals are code (strategy {@code llm}), folded from its events in study order:
 * for each proposal its parents, operator, the model calls that wrote it (model, template, tokens, cost, the prompt's
 * and answer's hashes), what it changed (its ProposalCreated patches as text, cut to a size a report can carry) and
 * how it fared (evaluated, failed, rejected, crowned); and the study's total spend. Pure and bounded: each proposal
 * keeps at most {@link #MAX_DIFF_LINES} lines of change, the whole lineage at most {@link #MAX_TOTAL_DIFF_CHARS}
 * characters of it; the rest is counted, not kept (the proposal's {@code /diff} has all of it).
 */
public final class CodeLineage {

    /** Lines of change shown per proposal. */
    public static final int MAX_DIFF_LINES = 200;

    /** Characters of change shown for the whole study: past it, proposals show only how many lines they changed. */
    public static final int MAX_TOTAL_DIFF_CHARS = 1 << 20;

    /** One model call of a proposal. */
    public record Call(UUID callId, String model, String template, long tokensIn, long tokensOut, double costUsd,
                       long latencyMillis, boolean replayed, String failure, String promptHash, String answerHash) {
    }

    /**
     * A proposal of the lineage. {@code outcome} is {@code pending}, {@code rejected}, {@code failed} or the
     * evaluator's verdict; {@code value} the evaluated mean (null: none); {@code detail} the rejection's or failure's
     * reason. {@code diff} is what the proposal changed, cut to {@link #MAX_DIFF_LINES}; {@code diffLinesOmitted}
     * counts what was cut. {@code tokens} and {@code costUsd} are billed (a replayed call bills nothing).
     */
    public record Proposal(UUID proposalId, Integer ordinal, String operator, List<UUID> parents, List<String> files,
                           List<Call> calls, long tokens, double costUsd, String outcome, Double value, String detail,
                           boolean champion, String diff, int diffLinesOmitted) {
    }

    /** The lineage in ordinal order, and what every call of the study cost together. */
    public record View(List<Proposal> proposals, long calls, long failedCalls, long replayedCalls, long tokensIn,
                       long tokensOut, double costUsd) {
    }

    private static final class Entry {
        final UUID proposalId;
        Integer ordinal;
        String operator;
        List<UUID> parents = List.of();
        List<String> files = List.of();
        final List<Call> calls = new ArrayList<>();
        long tokens;
        double cost;
        String outcome = "pending";
        Double value;
        String detail;
        boolean champion;
        String diff;
        int omitted;

        Entry(UUID proposalId) {
            this.proposalId = proposalId;
        }
    }

    private final Map<UUID, Entry> entries = new LinkedHashMap<>();
    private long calls;
    private long failedCalls;
    private long replayedCalls;
    private long tokensIn;
    private long tokensOut;
    private double costUsd;
    private long diffChars;

    /** Folds one event of the study; events of other types are ignored. */
    public void accept(EventPayload payload) {
        switch (payload) {
            case ProposalCreated p -> {
                Entry e = entry(p.proposalId());
                e.ordinal = p.ordinal();
                e.operator = p.operator();
                e.parents = List.copyOf(p.parents());
                e.files = p.patches().stream().map(FilePatch::path).toList();
                diff(e, p.patches());
            }
            case ModelCallCompleted c -> {
                Entry e = entry(c.proposalId());
                if (e.ordinal == null) {
                    e.ordinal = c.ordinal();
                }
                if (e.operator == null) {
                    e.operator = c.operator();
                }
                double billed = c.replayed() ? 0.0 : c.costUsd();
                e.calls.add(new Call(c.callId(), c.model(), c.template(), c.tokensIn(), c.tokensOut(), billed,
                        c.latencyMillis(), c.replayed(), c.failure(), c.promptHash(), c.answerHash()));
                e.tokens += c.billedTokens();
                e.cost += billed;
                calls++;
                failedCalls += c.answered() ? 0 : 1;
                replayedCalls += c.replayed() ? 1 : 0;
                tokensIn += c.replayed() ? 0 : c.tokensIn();
                tokensOut += c.replayed() ? 0 : c.tokensOut();
                costUsd += billed;
            }
            case ProposalRejected r -> {
                Entry e = entry(r.proposalId());
                e.outcome = "rejected";
                e.detail = r.violations().isEmpty() ? r.reason() : r.reason() + ": " + String.join("; ", r.violations());
            }
            case ExperimentFailed f -> {
                Entry e = entry(f.proposalId());
                e.outcome = "failed";
                e.detail = wire(f.reason()) + ": " + f.detail();
            }
            case EvaluationCompleted v -> {
                Entry e = entry(v.proposalId());
                e.outcome = wire(v.verdict());
                e.value = v.summary() == null ? null : v.summary().mean();
                e.detail = v.reason();
            }
            case ChampionChanged c -> entry(c.proposalId()).champion = true;
            default -> {
                // not part of the lineage
            }
        }
    }

    public View view() {
        List<Proposal> proposals = entries.values().stream()
                .sorted(Comparator.comparing((Entry e) -> e.ordinal == null ? Integer.MAX_VALUE : e.ordinal))
                .map(e -> new Proposal(e.proposalId, e.ordinal, e.operator, e.parents, e.files, List.copyOf(e.calls),
                        e.tokens, e.cost, e.outcome, e.value, e.detail, e.champion, e.diff, e.omitted))
                .toList();
        return new View(proposals, calls, failedCalls, replayedCalls, tokensIn, tokensOut, costUsd);
    }

    /** The contract's spelling of an enum constant ({@code NEW_CHAMPION} is {@code new-champion}). */
    private static String wire(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private Entry entry(UUID proposalId) {
        return entries.computeIfAbsent(proposalId, Entry::new);
    }

    /** The patches as one text: a diff as it is, whole content as added lines, a deletion as a line saying so. */
    private void diff(Entry e, List<FilePatch> patches) {
        List<String> lines = new ArrayList<>();
        for (FilePatch patch : patches) {
            if (patch.deletes()) {
                lines.add("deleted " + patch.path());
            } else if (patch.diff() != null) {
                if (!patch.diff().startsWith("--- ")) {
                    lines.add("--- a/" + patch.path());
                    lines.add("+++ b/" + patch.path());
                }
                lines.addAll(patch.diff().lines().toList());
            } else {
                lines.add("new content of " + patch.path() + ":");
                patch.content().lines().forEach(line -> lines.add("+" + line));
            }
        }
        int kept = diffChars >= MAX_TOTAL_DIFF_CHARS ? 0 : Math.min(lines.size(), MAX_DIFF_LINES);
        String text = String.join("\n", lines.subList(0, kept));
        diffChars += text.length();
        e.diff = kept == 0 ? null : text + "\n";
        e.omitted = lines.size() - kept;
    }
}
