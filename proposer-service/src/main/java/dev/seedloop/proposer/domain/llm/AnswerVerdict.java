package dev.seedloop.proposer.domain.llm;

import java.util.List;
import java.util.Map;

import dev.seedloop.events.FilePatch;

/**
 * PLACEHOLDER (wp-llm-strategy): wp-llm-answers' verdict on a model's answer, in the shape the strategy codes against;
 * the lead keeps wp-llm-answers' version. {@code Edited}: the changed files' new content, the patches (unified diffs
 * against the parent) and how many blocks applied; {@code Refused}: why, with the offending paths or blocks.
 */
public sealed interface AnswerVerdict {

    record Edited(Map<String, String> changedFiles, List<FilePatch> patches, int blocks) implements AnswerVerdict {
    }

    record Refused(String reason, List<String> violations) implements AnswerVerdict {
    }
}
