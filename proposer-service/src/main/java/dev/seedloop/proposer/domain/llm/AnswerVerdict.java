package dev.seedloop.proposer.domain.llm;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.seedloop.events.FilePatch;

/**
 * What a model's answer comes to: an {@link Edited edit} of the parent tree, or a {@link Refused refusal} with the
 * reason and the offending paths or lines, which the strategy records (a ProposalRejected) and can show in the next
 * prompt. Never anything in between: an answer is applied whole or not at all.
 */
public sealed interface AnswerVerdict {

    /**
     * The edit an answer makes: {@code changedFiles} (normalised path → whole new content, only files whose content
     * differs from the parent's), the same change as {@code patches} (one per changed file, in path order: a unified
     * diff against the parent, {@link FilePatch#diff}, or the whole content for a file with carriage returns, which a
     * unified diff cannot carry; see {@link UnifiedDiffs#patch}) and how many blocks of the answer were applied.
     */
    record Edited(Map<String, String> changedFiles, List<FilePatch> patches, int blocks) implements AnswerVerdict {

        public Edited {
            changedFiles = java.util.Collections.unmodifiableMap(new TreeMap<>(changedFiles));
            patches = List.copyOf(patches);
            if (changedFiles.isEmpty() || changedFiles.size() != patches.size()) {
                throw new IllegalArgumentException("an edit changes at least one file and has one patch per file");
            }
        }
    }

    /**
     * An answer that cannot be applied. {@code reason} starts with the {@link Rule rule} it broke ({@code
     * "outside-region: ..."}) and says enough for the model to do better; {@code violations} name the offending
     * paths, {@code path:line} or {@code path:first-last} (answer-level problems name {@code answer:line}).
     */
    record Refused(String reason, List<String> violations) implements AnswerVerdict {

        public Refused {
            Objects.requireNonNull(reason, "reason");
            violations = List.copyOf(violations);
        }

        /** The rule named at the start of the reason ({@link Rule#code()}), or null when it names none. */
        public Rule rule() {
            int colon = reason.indexOf(':');
            return colon < 0 ? null : Rule.ofCode(reason.substring(0, colon));
        }
    }

    /** The rules an answer can break, each with the code its refusal's reason starts with. */
    enum Rule {
        EMPTY_ANSWER("empty-answer"),
        ANSWER_TOO_LARGE("answer-too-large"),
        NO_BLOCKS("no-blocks"),
        MALFORMED_BLOCK("malformed-block"),
        FULL_FILE_REWRITES_OFF("full-file-rewrites-off"),
        PATH_OUTSIDE_TREE("path-outside-tree"),
        PROTECTED_PATH("protected-path"),
        NEW_FILE("new-file"),
        NOT_EDITABLE("not-editable"),
        NO_MATCH("no-match"),
        AMBIGUOUS_MATCH("ambiguous-match"),
        OUTSIDE_REGION("outside-region"),
        MARKERS_CHANGED("markers-changed"),
        NO_CHANGE("no-change");

        private final String code;

        Rule(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        static Rule ofCode(String code) {
            for (Rule rule : values()) {
                if (rule.code.equals(code)) {
                    return rule;
                }
            }
            return null;
        }
    }
}
