package dev.seedloop.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code strategyOptions} of a study whose strategy is {@link StrategyNames#LLM}, read once and checked: the
 * gateway refuses a spec whose options do not parse, the proposer builds prompts from them and the learner reads its
 * own (how often it rebuilds the notes). One reader for all three, so they cannot disagree on a key or a default.
 *
 * <p>Keys (all optional): {@code mode} ({@code evolve}, or {@code best-of-n}: a baseline that always samples from the
 * study's own code and shows no history); {@code editable} (comma-separated workspace files editable as a whole,
 * besides every {@code EVOLVE-BLOCK-START}/{@code EVOLVE-BLOCK-END} region); {@code full-file-rewrites} (whether an
 * answer may rewrite an editable file whole); {@code templates} (comma-separated names, {@code default} is built in;
 * each other name {@code X} comes from {@code template.X}, the template's text, or {@code template-file.X}, a workspace
 * path); {@code models} (comma-separated names among the operator's configured models; default all);
 * {@code hints} (text shown to the model); {@code top-k}, {@code inspirations} (prior attempts and labelled lineage
 * shown); {@code output-chars} (execution output shown, capped); {@code repairs} (repair proposals per failed parent);
 * {@code crossover-rate}; {@code novelty-threshold} (a candidate at least this similar to a sibling is not run; 1
 * only refuses identical code); {@code notes-every} (evaluations between the learner's notes);
 * {@code max-answer-tokens} and {@code temperature} (the operator's limits still apply: a spec may only ask for less).
 */
public record LlmOptions(String mode, List<String> editableFiles, boolean fullFileRewrites, List<String> templates,
                         Map<String, String> inlineTemplates, Map<String, String> templateFiles, List<String> models,
                         String hints, int topK, int inspirations, int outputChars, int repairs, double crossoverRate,
                         double noveltyThreshold, int notesEvery, int maxAnswerTokens, double temperature) {

    public static final String EVOLVE = "evolve";
    public static final String BEST_OF_N = "best-of-n";
    public static final String DEFAULT_TEMPLATE = "default";

    private static final Set<String> PLAIN_KEYS = Set.of("mode", "editable", "full-file-rewrites", "templates",
            "models", "hints", "top-k", "inspirations", "output-chars", "repairs", "crossover-rate",
            "novelty-threshold", "notes-every", "max-answer-tokens", "temperature");
    private static final String INLINE_PREFIX = "template.";
    private static final String FILE_PREFIX = "template-file.";

    public LlmOptions {
        editableFiles = List.copyOf(editableFiles);
        templates = List.copyOf(templates);
        inlineTemplates = Map.copyOf(inlineTemplates);
        templateFiles = Map.copyOf(templateFiles);
        models = List.copyOf(models);
    }

    /** The options of a study that set none. */
    public static LlmOptions defaults() {
        return parse(Map.of());
    }

    /**
     * Reads a study's strategy options.
     *
     * @throws IllegalArgumentException naming the key and what it accepts, for an unknown key or a bad value
     */
    public static LlmOptions parse(Map<String, String> options) {
        Set<String> unknown = new TreeSet<>();
        Map<String, String> inline = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        options.forEach((key, value) -> {
            if (key.startsWith(INLINE_PREFIX) && key.length() > INLINE_PREFIX.length()) {
                inline.put(key.substring(INLINE_PREFIX.length()), value);
            } else if (key.startsWith(FILE_PREFIX) && key.length() > FILE_PREFIX.length()) {
                files.put(key.substring(FILE_PREFIX.length()), value);
            } else if (!PLAIN_KEYS.contains(key)) {
                unknown.add(key);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown llm strategy option(s) " + unknown + "; known: "
                    + new TreeSet<>(PLAIN_KEYS) + ", template.<name>, template-file.<name>");
        }
        String mode = options.getOrDefault("mode", EVOLVE);
        if (!mode.equals(EVOLVE) && !mode.equals(BEST_OF_N)) {
            throw new IllegalArgumentException("llm option mode must be '" + EVOLVE + "' or '" + BEST_OF_N
                    + "' but was '" + mode + "'");
        }
        List<String> templates = names(options.getOrDefault("templates", DEFAULT_TEMPLATE), "templates");
        for (String template : templates) {
            boolean isInline = inline.containsKey(template);
            boolean isFile = files.containsKey(template);
            if (isInline && isFile) {
                throw new IllegalArgumentException("llm template '" + template
                        + "' is given both inline (template." + template + ") and as a file (template-file."
                        + template + "): keep one");
            }
            if (!isInline && !isFile && !template.equals(DEFAULT_TEMPLATE)) {
                throw new IllegalArgumentException("llm template '" + template + "' needs template." + template
                        + " (its text) or template-file." + template + " (a workspace path)");
            }
            if (isInline && inline.get(template).isBlank()) {
                throw new IllegalArgumentException("llm option template." + template + " must not be blank");
            }
        }
        Set<String> unused = new TreeSet<>(inline.keySet());
        unused.addAll(files.keySet());
        templates.forEach(unused::remove);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("llm template(s) " + unused + " are defined but not listed in templates "
                    + templates);
        }
        for (String path : files.values()) {
            new FilePatch(path, "");
        }
        List<String> editable = options.containsKey("editable") ? names(options.get("editable"), "editable") : List.of();
        editable.forEach(path -> new FilePatch(path, ""));
        List<String> models = options.containsKey("models") ? names(options.get("models"), "models") : List.of();
        return new LlmOptions(mode, editable, bool(options, "full-file-rewrites", false), templates, inline, files,
                models, options.getOrDefault("hints", ""), integer(options, "top-k", 3, 0, 20),
                integer(options, "inspirations", 2, 0, 10), integer(options, "output-chars", 2000, 0, 20_000),
                integer(options, "repairs", 2, 0, 10), decimal(options, "crossover-rate", 0.2, 0, 1),
                decimal(options, "novelty-threshold", 0.98, 0, 1), integer(options, "notes-every", 5, 1, 1000),
                integer(options, "max-answer-tokens", 4096, 1, 1_000_000), decimal(options, "temperature", 0.7, 0, 2));
    }

    /** Whether the study is the best-of-N baseline (always from its own code, no history shown). */
    public boolean bestOfN() {
        return mode.equals(BEST_OF_N);
    }

    private static List<String> names(String value, String key) {
        List<String> names = new ArrayList<>();
        for (String name : Arrays.asList(value.split(","))) {
            String trimmed = name.strip();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("llm option " + key + " has an empty name in '" + value + "'");
            }
            if (names.contains(trimmed)) {
                throw new IllegalArgumentException("llm option " + key + " names '" + trimmed + "' twice");
            }
            names.add(trimmed);
        }
        return names;
    }

    private static boolean bool(Map<String, String> options, String key, boolean fallback) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("llm option " + key + " must be true or false but was '" + value + "'");
    }

    private static int integer(Map<String, String> options, String key, int fallback, int min, int max) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException notAnInteger) {
            // reported below with the accepted range
        }
        throw new IllegalArgumentException("llm option " + key + " must be an integer from " + min + " to " + max
                + " but was '" + value + "'");
    }

    private static double decimal(Map<String, String> options, String key, double fallback, double min, double max) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // reported below with the accepted range
        }
        throw new IllegalArgumentException("llm option " + key + " must be a number from " + min + " to " + max
                + " but was '" + value + "'");
    }
}
