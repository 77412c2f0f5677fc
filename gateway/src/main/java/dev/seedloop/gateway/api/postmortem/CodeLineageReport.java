package dev.seedloop.gateway.api.postmortem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.seedloop.gateway.api.report.Report;
import dev.seedloop.gateway.api.report.Report.Cell;
import dev.seedloop.gateway.api.report.Report.Code;
import dev.seedloop.gateway.api.report.Report.Paragraph;
import dev.seedloop.gateway.api.report.Report.Text;
import dev.seedloop.gateway.domain.CodeLineage;

/**
 * The postmortem's section on an llm study's code: what every model call cost in all, a table of the proposals (which
 * parent each changed, through which model and template, for how many tokens and dollars, with what result), then each
 * proposal's change as text with the calls that wrote it and the hashes of their prompts and answers, which
 * {@code GET .../model-calls/{callId}/prompt|answer} return. Pure; every value goes in raw, the writers escape.
 */
final class CodeLineageReport {

    private CodeLineageReport() {
    }

    static Report.Section of(String studyId, CodeLineage.View lineage) {
        List<Report.Block> blocks = new ArrayList<>();
        blocks.add(Paragraph.text(String.format(Locale.ROOT, "%d model calls (%d failed, %d replayed), %d tokens in and"
                        + " %d out, %s in all. Each proposal below shows the change it made to its parent, the model"
                        + " and template that wrote it, and what it cost.", lineage.calls(), lineage.failedCalls(),
                lineage.replayedCalls(), lineage.tokensIn(), lineage.tokensOut(), usd(lineage.costUsd()))));
        if (lineage.proposals().isEmpty()) {
            blocks.add(Paragraph.text("No proposals yet."));
            return new Report.Section("Code lineage", blocks);
        }
        Map<UUID, Integer> ordinals = lineage.proposals().stream().filter(p -> p.ordinal() != null)
                .collect(Collectors.toMap(CodeLineage.Proposal::proposalId, CodeLineage.Proposal::ordinal, (a, b) -> a));
        List<List<Cell>> rows = new ArrayList<>();
        for (CodeLineage.Proposal p : lineage.proposals()) {
            rows.add(List.of(Cell.text(p.ordinal() == null ? null : "#" + p.ordinal()), Cell.code(p.proposalId().toString()),
                    Cell.code(p.operator()), Cell.text(parents(p, ordinals)), Cell.code(models(p)),
                    Cell.text(Integer.toString(p.calls().size())), Cell.text(Long.toString(p.tokens())),
                    Cell.text(usd(p.costUsd())), Cell.text(outcome(p))));
        }
        blocks.add(new Report.Table(List.of("#", "proposal", "operator", "parents", "model/template", "calls", "tokens",
                "cost", "result"), rows));
        for (CodeLineage.Proposal p : lineage.proposals()) {
            blocks.add(new Report.Heading((p.ordinal() == null ? "" : "#" + p.ordinal() + " ")
                    + (p.operator() == null ? "" : p.operator() + " ") + p.proposalId() + (p.champion() ? " (champion)"
                    : "")));
            for (CodeLineage.Call call : p.calls()) {
                blocks.add(Paragraph.of(new Text("call "), new Code(call.callId().toString()), new Text(String.format(
                        Locale.ROOT, ": %s/%s, %d + %d tokens, %s, %s%s; prompt ", call.model(), call.template(),
                        call.tokensIn(), call.tokensOut(), usd(call.costUsd()),
                        PostmortemReport.duration(call.latencyMillis()), call.replayed() ? ", replayed" : "")),
                        new Code(call.promptHash()), new Text(call.answerHash() == null ? ", no answer: " + call.failure()
                                : "; answer "), new Code(call.answerHash() == null ? "" : call.answerHash())));
            }
            if (p.diff() != null) {
                blocks.add(new Report.Preformatted(p.diff()));
            } else if (p.files().isEmpty()) {
                blocks.add(Paragraph.text(p.calls().isEmpty() ? "No change recorded." : "No change: the answer made"
                        + " no proposal."));
            }
            if (p.diffLinesOmitted() > 0) {
                blocks.add(Paragraph.of(new Text(p.diffLinesOmitted() + " more lines of change; all of it: "),
                        new Code("GET /api/v1/studies/" + studyId + "/proposals/" + p.proposalId() + "/diff")));
            }
        }
        return new Report.Section("Code lineage", blocks);
    }

    private static String parents(CodeLineage.Proposal p, Map<UUID, Integer> ordinals) {
        if (p.parents().isEmpty()) {
            return "the study's workspace";
        }
        return p.parents().stream().map(id -> ordinals.containsKey(id) ? "#" + ordinals.get(id) : id.toString())
                .collect(Collectors.joining(", "));
    }

    private static String models(CodeLineage.Proposal p) {
        Set<String> used = p.calls().stream().map(c -> c.model() + "/" + c.template())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return used.isEmpty() ? null : String.join(", ", used);
    }

    private static String outcome(CodeLineage.Proposal p) {
        String result = p.outcome() + (p.value() == null ? "" : " " + PostmortemReport.num(p.value()))
                + (p.champion() ? ", champion" : "");
        return p.detail() == null || p.value() != null ? result : result + ": " + p.detail();
    }

    /** Cents, or four decimals below one cent so a cheap call does not read as free. */
    static String usd(double dollars) {
        return dollars > 0 && dollars < 0.01 ? String.format(Locale.ROOT, "$%.4f", dollars)
                : String.format(Locale.ROOT, "$%.2f", dollars);
    }
}
