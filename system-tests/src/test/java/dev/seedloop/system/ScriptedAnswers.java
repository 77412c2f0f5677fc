package dev.seedloop.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An example's scripted model ({@code examples/code-evolution/<task>/answers/script.json}): the answer to a prompt is
 * the file of the first rule whose {@code parentContains} text is in the program the prompt's edits apply to and none
 * of whose {@code promptLacks} texts is anywhere in the prompt. A pure function of the prompt, so the answers do not
 * depend on the order the proposer's calls arrive in.
 */
final class ScriptedAnswers {

    /** The heading of the prompt section that holds the program the answer edits (llm strategy, Prompts). */
    static final String EDITED_PROGRAM = "(your edits apply to it)";

    record Rule(String parentContains, List<String> promptLacks, String answerFile, String answer, String expect) {
    }

    private final List<Rule> rules;

    private ScriptedAnswers(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static ScriptedAnswers load(Path answers) {
        try {
            JsonNode script = new ObjectMapper().readTree(Files.readString(answers.resolve("script.json")));
            List<Rule> rules = new ArrayList<>();
            for (JsonNode rule : script.get("rules")) {
                List<String> lacks = new ArrayList<>();
                rule.path("promptLacks").forEach(text -> lacks.add(text.asText()));
                String file = rule.get("answer").asText();
                rules.add(new Rule(rule.hasNonNull("parentContains") ? rule.get("parentContains").asText() : null,
                        lacks, file, Files.readString(answers.resolve(file)), rule.get("expect").asText()));
            }
            return new ScriptedAnswers(rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Rule> rules() {
        return rules;
    }

    /** The rule that answers {@code prompt} (the user message; the system message is the same for every call). */
    Rule ruleFor(String prompt) {
        String parent = editedProgram(prompt);
        for (Rule rule : rules) {
            boolean parentMatches = rule.parentContains() == null || parent.contains(rule.parentContains());
            if (parentMatches && rule.promptLacks().stream().noneMatch(prompt::contains)) {
                return rule;
            }
        }
        throw new IllegalStateException("the script has no rule for this prompt, not even a fallback");
    }

    /** The section of the prompt headed "... (your edits apply to it)", up to the next heading; else all of it. */
    static String editedProgram(String prompt) {
        List<String> lines = prompt.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("## ") && lines.get(i).contains(EDITED_PROGRAM)) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).startsWith("## ")) {
                    end++;
                }
                return String.join("\n", lines.subList(i, end));
            }
        }
        return prompt;
    }
}
