package dev.seedloop.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An example's scripted model ({@code examples/code-evolution/<task>/answers/script.json}, its README's "The scripted
 * model"). The program a prompt asks to edit picks the first {@code programs} entry whose {@code parentContains} text
 * it holds; the n-th time that very program is asked, the entry's n-th answer, and after its last the
 * {@code otherwise} answers (prose once, then numbered variations). Refused proposals never reach later prompts, so the
 * same program is asked again with the same prompt: answering it differently each time, as a sampling model does, is
 * what lets a run go on. Which answers a run gets does not depend on the order of the calls; with two calls for the
 * same program at once, which of them gets which answer may.
 */
final class ScriptedAnswers {

    /** The heading of the prompt section that holds the program the answer edits (llm strategy, Prompts). */
    static final String EDITED_PROGRAM = "(your edits apply to it)";

    record Answer(String file, String text, String expect, boolean numbered) {
    }

    record Program(String parentContains, List<Answer> answers) {
    }

    private final List<Program> programs;
    private final List<Answer> otherwise;
    private final Map<String, Integer> asked = new HashMap<>();

    private ScriptedAnswers(List<Program> programs, List<Answer> otherwise) {
        this.programs = List.copyOf(programs);
        this.otherwise = List.copyOf(otherwise);
    }

    static ScriptedAnswers load(Path answers) {
        try {
            JsonNode script = new ObjectMapper().readTree(Files.readString(answers.resolve("script.json")));
            List<Program> programs = new ArrayList<>();
            for (JsonNode program : script.get("programs")) {
                programs.add(new Program(program.get("parentContains").asText(), answers(answers,
                        program.get("answers"))));
            }
            return new ScriptedAnswers(programs, answers(answers, script.get("otherwise")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Answer> answers(Path dir, JsonNode list) throws IOException {
        List<Answer> out = new ArrayList<>();
        for (JsonNode answer : list) {
            String file = answer.get("answer").asText();
            out.add(new Answer(file, Files.readString(dir.resolve(file)), answer.get("expect").asText(),
                    answer.path("numbered").asBoolean(false)));
        }
        return out;
    }

    /** The answer to {@code prompt} (the user message; the system message is the same for every call). */
    synchronized String answer(String prompt) {
        String program = editedProgram(prompt);
        int n = asked.merge(program, 1, Integer::sum) - 1;
        List<Answer> list = programs.stream().filter(p -> program.contains(p.parentContains())).findFirst()
                .map(Program::answers).orElse(List.of());
        if (n < list.size()) {
            return list.get(n).text();
        }
        int beyond = n - list.size();
        Answer fallback = otherwise.get(Math.min(beyond, otherwise.size() - 1));
        return fallback.numbered() ? fallback.text().replace("{n}", Integer.toString(beyond)) : fallback.text();
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
