package dev.seedloop.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The code-evolution tasks and their scripted model (code-evolution/README.md), played as a loop that always edits its
 * best program so far and asks again after a refusal: the script's answers apply where it says, are refused where it
 * says (for the reason it names), measure what it says on training seed 0, and end in a champion better than the
 * seed program that passes validation, and better than best-of-N sampling from the seed program on as many answers
 * (its baseline: every answer to the seed program, no history). The harness runs for real; the answers are applied by a strict reading of the
 * answer format (exact SEARCH match, protected paths, markers), which is what Seedloop's proposer accepts at the least.
 */
class CodeEvolutionTest {

    private static final Pattern FIGURES = Pattern.compile("(\\d+\\.\\d+) -> (?:[^0-9]*?)(\\d+\\.\\d+) \\(train, seed 0\\)");
    private static final String START = "EVOLVE-BLOCK-START";
    private static final String END = "EVOLVE-BLOCK-END";
    private static final List<String> FLAGS = List.of("-Xmx128m", "-Xss512k", "-XX:ReservedCodeCacheSize=32m",
            "-XX:CompressedClassSpaceSize=32m", "-XX:MaxMetaspaceSize=64m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData");

    @TempDir
    Path tmp;

    /** Training values (seed 0) by the evolvable file's content: the harness is deterministic. */
    private final Map<String, Double> measured = new HashMap<>();

    /** What a strict reader makes of an answer: the edited file, or the rule it broke. */
    record Verdict(String refusal, String path, String content) {
    }

    @ParameterizedTest
    @CsvSource({"code-evolution/bin-packing, Priority.java, excess_pct",
                "code-evolution/cache-eviction, Eviction.java, miss_pct"})
    @SuppressWarnings("unchecked")
    void theScriptedModelImprovesTheSeedIsRefusedWhereItSaysAndBeatsBestOfNOnTheSameBudget(String task, String evolvable, String metric)
            throws IOException {
        Path dir = Programs.EXAMPLES.resolve(task);
        Map<String, Object> script = (Map<String, Object>) new Yaml().load(Files.readString(dir.resolve(
                "answers/script.json")));
        Map<String, Object> spec = (Map<String, Object>) new Yaml().load(Files.readString(dir.resolve("study.yaml")));
        List<String> protectedPaths = (List<String>) spec.get("protectedPaths");
        assertThat(((Map<String, Object>) spec.get("objective")).get("metric")).isEqualTo(metric);
        assertThat(protectedPaths).containsExactly("Harness.java");

        Path champion = Programs.copyWorkspace(task + "/workspace", tmp);
        double seedValue = train(champion, metric);
        double championValue = seedValue;
        Set<String> refusalsSeen = new LinkedHashSet<>();
        Map<String, Integer> asked = new HashMap<>();
        List<String> played = new ArrayList<>();
        while (true) {
            String parentCode = Files.readString(champion.resolve(evolvable));
            Map<String, Object> answer = next(script, parentCode, asked.merge(parentCode, 1, Integer::sum) - 1);
            String answerFile = (String) answer.get("answer");
            String expect = (String) answer.get("expect");
            played.add(answerFile);
            assertThat(played).as("the script reaches its variations").hasSizeLessThan(20);
            String text = Files.readString(dir.resolve("answers").resolve(answerFile)).replace("{n}", "0");
            Verdict verdict = read(text, champion, protectedPaths);
            if (verdict.refusal() != null) {
                assertThat(expect).as(answerFile).startsWith("refused: " + verdict.refusal());
                refusalsSeen.add(verdict.refusal());
                continue;
            }
            assertThat(expect).as(answerFile).startsWith("applied");
            Path child = Programs.copyWorkspace(task + "/workspace", tmp);
            Files.writeString(child.resolve(verdict.path()), verdict.content());
            double value = train(child, metric);
            measured.put(verdict.content(), value);
            if (Boolean.TRUE.equals(answer.get("numbered"))) {
                assertThat(value).as("a variation keeps its parent's behaviour").isEqualTo(championValue);
                break;
            }
            Matcher figures = FIGURES.matcher(expect);
            assertThat(figures.find()).as("figures in: " + expect).isTrue();
            assertThat(round2(championValue)).as(answerFile + ": its parent's value").isEqualTo(figures.group(1));
            assertThat(round2(value)).as(answerFile + ": its value").isEqualTo(figures.group(2));
            if (value < championValue) {
                champion = child;
                championValue = value;
            } else {
                assertThat(expect).as(answerFile).contains("worse than its parent");
            }
        }
        assertThat(refusalsSeen).contains("protected-path", "markers-changed", "malformed-block", "no-blocks");
        assertThat(championValue).as("the scripted model's champion against the seed program").isLessThan(seedValue);
        Programs.Result validation = run(champion, "validate");
        assertThat(validation.exitCode()).as(validation.stdout() + validation.stderr()).isZero();
        assertThat(validation.stdout()).contains("validation ok");

        // What evolution added: its baseline on the same budget (as many answers), best-of-N from the seed program.
        double bestOfN = bestOfN(task, evolvable, metric, script, protectedPaths, played.size());
        assertThat(bestOfN).as("best-of-n's best single edit of the seed program").isLessThan(seedValue);
        assertThat(championValue).as("evolution against best-of-n on the same %d answers", played.size())
                .isLessThan(bestOfN);
        System.out.printf(java.util.Locale.ROOT, "%s: %d answers: seed %.2f, best-of-n %.2f, evolution %.2f%n", task,
                played.size(), seedValue, bestOfN, championValue);
    }

    /**
     * The best-of-N baseline played with the same script: each of {@code answers} answers is to the seed program (the
     * n-th time it is asked), as the llm strategy's best-of-n mode asks; the best value among the edits it accepts.
     * Identical children are measured once.
     */
    private double bestOfN(String task, String evolvable, String metric, Map<String, Object> script,
            List<String> protectedPaths, int answers) throws IOException {
        Path dir = Programs.EXAMPLES.resolve(task);
        Path seed = Programs.copyWorkspace(task + "/workspace", tmp);
        String seedCode = Files.readString(seed.resolve(evolvable));
        double best = Double.POSITIVE_INFINITY;
        for (int n = 0; n < answers; n++) {
            String answerFile = (String) next(script, seedCode, n).get("answer");
            // A variation's number is a comment: all of them behave alike, so they share one measurement.
            Verdict verdict = read(Files.readString(dir.resolve("answers").resolve(answerFile)).replace("{n}", "0"),
                    seed, protectedPaths);
            if (verdict.refusal() == null) {
                Double value = measured.get(verdict.content());
                if (value == null) {
                    Path child = Programs.copyWorkspace(task + "/workspace", tmp);
                    Files.writeString(child.resolve(verdict.path()), verdict.content());
                    value = train(child, metric);
                    measured.put(verdict.content(), value);
                }
                best = Math.min(best, value);
            }
        }
        return best;
    }

    /**
     * The script's n-th answer (from 0) for a parent: from the first program entry whose text the parent holds, then
     * the {@code otherwise} answers, the last of them repeated.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> next(Map<String, Object> script, String parentCode, int n) {
        List<Map<String, Object>> answers = List.of();
        for (Map<String, Object> program : (List<Map<String, Object>>) script.get("programs")) {
            if (parentCode.contains((String) program.get("parentContains"))) {
                answers = (List<Map<String, Object>>) program.get("answers");
                break;
            }
        }
        if (n < answers.size()) {
            return answers.get(n);
        }
        List<Map<String, Object>> otherwise = (List<Map<String, Object>>) script.get("otherwise");
        return otherwise.get(Math.min(n - answers.size(), otherwise.size() - 1));
    }

    /** Reads SEARCH/REPLACE blocks strictly: one block per answer here, matched exactly once. */
    private static Verdict read(String answer, Path workspace, List<String> protectedPaths) throws IOException {
        List<String> lines = answer.lines().toList();
        int search = lines.indexOf("<<<<<<< SEARCH");
        if (search < 0) {
            return new Verdict("no-blocks", null, null);
        }
        int divider = lines.indexOf("=======");
        int replace = lines.indexOf(">>>>>>> REPLACE");
        if (divider < search || replace < divider) {
            return new Verdict("malformed-block", null, null);
        }
        String path = lines.get(search - 1).strip();
        if (protectedPaths.contains(path)) {
            return new Verdict("protected-path", path, null);
        }
        String before = Files.readString(workspace.resolve(path), StandardCharsets.UTF_8);
        String find = String.join("\n", lines.subList(search + 1, divider)) + "\n";
        String with = String.join("\n", lines.subList(divider + 1, replace)) + "\n";
        int at = before.indexOf(find);
        if (at < 0 || before.indexOf(find, at + 1) >= 0) {
            return new Verdict("no-match", path, null);
        }
        String after = before.substring(0, at) + with + before.substring(at + find.length());
        if (count(after, START) != count(before, START) || count(after, END) != count(before, END)) {
            return new Verdict("markers-changed", path, null);
        }
        int regionStart = before.indexOf(START);
        int regionEnd = before.indexOf(END);
        if (at < before.indexOf('\n', regionStart) || at + find.length() > before.lastIndexOf('\n', regionEnd) + 1) {
            return new Verdict("outside-region", path, null);
        }
        return new Verdict(null, path, after);
    }

    private static int count(String text, String marker) {
        return text.split(marker, -1).length - 1;
    }

    private static String round2(double value) {
        return String.format(java.util.Locale.ROOT, "%.2f", value);
    }

    private static double train(Path ws, String metric) {
        Programs.Result r = run(ws, "train");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        return r.metric(metric);
    }

    /** As the spec runs it: the sandbox's java (JDK 17 here) on PATH, the spec's flags and env, seed 0. */
    private static Programs.Result run(Path ws, String mode) {
        List<String> argv = new ArrayList<>(List.of("java"));
        argv.addAll(FLAGS);
        argv.addAll(List.of("Harness.java", mode));
        return Programs.run(ws, Map.of("SEEDLOOP_SEED", "0", "MALLOC_ARENA_MAX", "2"), argv, true);
    }
}
