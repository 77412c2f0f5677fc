package dev.seedloop.proposer.domain.llm;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.seedloop.events.Direction;

/**
 * Everything a prompt shows, gathered by the application from the request, the study and the artifact store; {@link
 * Prompts} only formats it. Text fields are never null (empty when there is nothing to say). Output and failure text
 * comes from experiments, so from someone who may be hostile: {@link Prompts} quotes it as delimited data and caps it
 * at {@code outputChars}.
 *
 * @param operator     {@code mutate}, {@code crossover}, {@code repair}, {@code fix} or {@code sample} (best-of-n)
 * @param wholeFiles   files editable as a whole
 * @param markedFiles  files with {@code EVOLVE-BLOCK-START}/{@code END} regions
 * @param parent       the program the answer's edits apply to
 * @param secondParent crossover's other parent, else null
 * @param broken       repair: the failed child (its failure, output, and the diff from its own parent that broke it);
 *                     null otherwise
 * @param attempts     top-k prior attempts, best first, each with its diff from its parent
 * @param failures     recent failures with their log tails (fix: the seed program's failures)
 * @param inspirations labelled programs from the lineage, each as its diff from {@code parent}
 */
public record PromptInput(String operator, String studyName, String metric, Direction direction,
                          List<String> wholeFiles, List<String> markedFiles, Program parent, Program secondParent,
                          Attempt broken, List<Attempt> attempts, List<Attempt> failures, List<Attempt> inspirations,
                          String notes, String hints, boolean fullFileRewrites, int outputChars) {

    public PromptInput {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(parent, "parent");
        studyName = Objects.requireNonNullElse(studyName, "");
        wholeFiles = List.copyOf(wholeFiles);
        markedFiles = List.copyOf(markedFiles);
        attempts = List.copyOf(attempts);
        failures = List.copyOf(failures);
        inspirations = List.copyOf(inspirations);
        notes = Objects.requireNonNullElse(notes, "");
        hints = Objects.requireNonNullElse(hints, "");
    }

    /**
     * A program shown in full: its label (e.g. "parent, proposal #12"), public metric (null: none yet, or failed),
     * its text files (path to content), execution output and failure (empty when none).
     */
    public record Program(String label, Double value, Map<String, String> files, String output, String failure) {
        public Program {
            Objects.requireNonNull(label, "label");
            files = new TreeMap<>(files);
            output = Objects.requireNonNullElse(output, "");
            failure = Objects.requireNonNullElse(failure, "");
        }
    }

    /**
     * An earlier attempt shown in short: label (e.g. "top 1", "ancestor 2"), ordinal, operator, value (null when it
     * failed), failure, output tail and the diff that made it (empty when unknown).
     */
    public record Attempt(String label, int ordinal, String operator, Double value, String failure, String output,
                          String diff) {
        public Attempt {
            Objects.requireNonNull(label, "label");
            operator = Objects.requireNonNullElse(operator, "");
            failure = Objects.requireNonNullElse(failure, "");
            output = Objects.requireNonNullElse(output, "");
            diff = Objects.requireNonNullElse(diff, "");
        }
    }
}
