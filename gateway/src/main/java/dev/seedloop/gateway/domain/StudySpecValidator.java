package dev.seedloop.gateway.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.seedloop.events.Budget;
import dev.seedloop.events.Direction;
import dev.seedloop.events.ExperimentLimits;
import dev.seedloop.events.ExperimentSpec;
import dev.seedloop.events.LlmOptions;
import dev.seedloop.events.ModelBudget;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.ParameterKind;
import dev.seedloop.events.SearchSpace;
import dev.seedloop.events.StrategyNames;
import dev.seedloop.events.ValidationSpec;

/**
 * The rules of a study spec that a JSON Schema cannot say (bounds against each other, budget
 * coherence, safe relative paths, the form of workspace and held-out data references, an llm study's options and
 * model budget), collecting every problem with its path rather than stopping at the
 * first; and the conversion of a valid draft into the contract's value types, with defaults filled in.
 * Pure: no I/O, no clock.
 */
public final class StudySpecValidator {

    public static final long DEFAULT_MAX_WALL_SECONDS = 3_600;
    public static final int DEFAULT_PARALLELISM = 1;
    public static final long DEFAULT_TIMEOUT_SECONDS = 300;
    public static final int DEFAULT_REPEATS = 1;
    public static final ExperimentLimits DEFAULT_LIMITS = new ExperimentLimits(600, 2_048, 256, 4L * 1024 * 1024);
    public static final double DEFAULT_HELD_OUT_TOLERANCE = 0.0;

    /** How a client gets a tree hash for a directory, for refusals of anything else. */
    public static final String UPLOAD_HINT = "upload the directory (seedloop workspace push DIR), or let `seedloop"
            + " study create` do it";

    private static final Pattern TREE_HASH = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    private StudySpecValidator() {
    }

    public static List<SpecViolations.Violation> validate(StudySpecDraft draft) {
        List<SpecViolations.Violation> problems = new ArrayList<>();
        if (draft == null) {
            problems.add(new SpecViolations.Violation("$", "a study spec is required"));
            return problems;
        }
        if (draft.name() == null || !NAME.matcher(draft.name()).matches()) {
            problems.add(new SpecViolations.Violation("name",
                    "must be 1-100 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit"));
        }
        validateObjective(draft.objective(), problems);
        validateSearchSpace(draft.searchSpace(), problems);
        validateBudget(draft.budget(), problems);
        if (draft.strategy() != null && !StrategyNames.ALL.contains(draft.strategy())) {
            problems.add(new SpecViolations.Violation("strategy", "must be one of " + StrategyNames.ALL));
        }
        validateLlm(draft, problems);
        if (draft.experiment() != null && draft.workspace() == null) {
            problems.add(new SpecViolations.Violation("workspace", "is required when the spec has an experiment"));
        }
        if (draft.workspace() != null && !isTreeHash(draft.workspace()) && !draft.workspace().startsWith("/")) {
            problems.add(new SpecViolations.Violation("workspace", "must be the tree hash (sha256: and 64 lower-case"
                    + " hex digits) of a workspace your team uploaded: " + UPLOAD_HINT));
        }
        if (draft.validation() != null && draft.experiment() == null) {
            problems.add(new SpecViolations.Violation("validation", "needs an experiment to validate"));
        }
        if (draft.validation() != null && draft.validation().heldOutData() != null) {
            if (!isTreeHash(draft.validation().heldOutData())) {
                problems.add(new SpecViolations.Violation("validation.heldOutData", "must be the tree hash (sha256:"
                        + " and 64 lower-case hex digits) of data your team uploaded"));
            }
            if (draft.validation().heldOut() == null) {
                problems.add(new SpecViolations.Violation("validation.heldOutData",
                        "is for the held-out command: validation.heldOut is missing"));
            }
        }
        List<String> protectedPaths = draft.protectedPaths() == null ? List.of() : draft.protectedPaths();
        for (int i = 0; i < protectedPaths.size(); i++) {
            String path = protectedPaths.get(i);
            if (path == null || path.isBlank() || path.startsWith("/") || List.of(path.split("/")).contains("..")) {
                problems.add(new SpecViolations.Violation("protectedPaths[" + i + "]",
                        "must be a path relative to the workspace, without '..'"));
            }
        }
        return problems;
    }

    private static void validateObjective(StudySpecDraft.ObjectiveDraft objective,
            List<SpecViolations.Violation> problems) {
        if (objective == null) {
            problems.add(new SpecViolations.Violation("objective", "is required"));
            return;
        }
        if (objective.metric() == null || !IDENTIFIER.matcher(objective.metric()).matches()) {
            problems.add(new SpecViolations.Violation("objective.metric", "must be a metric name like 'excess_bins'"));
        }
        if (objective.direction() == null || parseDirection(objective.direction()) == null) {
            problems.add(new SpecViolations.Violation("objective.direction", "must be 'minimize' or 'maximize'"));
        }
        if (objective.target() != null && !Double.isFinite(objective.target())) {
            problems.add(new SpecViolations.Violation("objective.target", "must be a finite number"));
        }
    }

    private static void validateSearchSpace(List<StudySpecDraft.ParameterDraft> parameters,
            List<SpecViolations.Violation> problems) {
        if (parameters == null || parameters.isEmpty()) {
            problems.add(new SpecViolations.Violation("searchSpace", "must list at least one parameter"));
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < parameters.size(); i++) {
            String at = "searchSpace[" + i + "]";
            StudySpecDraft.ParameterDraft p = parameters.get(i);
            if (p == null) {
                problems.add(new SpecViolations.Violation(at, "must not be null"));
                continue;
            }
            if (p.name() == null || !IDENTIFIER.matcher(p.name()).matches()) {
                problems.add(new SpecViolations.Violation(at + ".name", "must be an identifier like 'alpha'"));
            } else if (!names.add(p.name())) {
                problems.add(new SpecViolations.Violation(at + ".name", "duplicates parameter '" + p.name() + "'"));
            }
            ParameterKind kind = parseKind(p.kind());
            if (kind == null) {
                problems.add(new SpecViolations.Violation(at + ".kind", "must be 'float', 'int' or 'categorical'"));
                continue;
            }
            if (kind == ParameterKind.CATEGORICAL) {
                if (p.choices() == null || p.choices().isEmpty()) {
                    problems.add(new SpecViolations.Violation(at + ".choices", "must list at least one choice"));
                } else if (new HashSet<>(p.choices()).size() != p.choices().size() || p.choices().contains(null)) {
                    problems.add(new SpecViolations.Violation(at + ".choices", "must be distinct, non-null"));
                }
                continue;
            }
            if (p.low() == null || !Double.isFinite(p.low())) {
                problems.add(new SpecViolations.Violation(at + ".low", "is required and must be finite"));
            }
            if (p.high() == null || !Double.isFinite(p.high())) {
                problems.add(new SpecViolations.Violation(at + ".high", "is required and must be finite"));
            }
            if (p.low() != null && p.high() != null && !(p.low() < p.high())) {
                problems.add(new SpecViolations.Violation(at + ".high", "must be greater than low"));
            }
            if (Boolean.TRUE.equals(p.logScale()) && p.low() != null && p.low() <= 0) {
                problems.add(new SpecViolations.Violation(at + ".low", "must be > 0 on a log scale"));
            }
            if (kind == ParameterKind.INT && p.low() != null && p.high() != null
                    && (p.low() != Math.rint(p.low()) || p.high() != Math.rint(p.high()))) {
                problems.add(new SpecViolations.Violation(at, "an int parameter needs whole-number bounds"));
            }
        }
    }

    private static void validateBudget(StudySpecDraft.BudgetDraft budget, List<SpecViolations.Violation> problems) {
        if (budget == null) {
            problems.add(new SpecViolations.Violation("budget", "is required"));
            return;
        }
        if (budget.maxExperiments() == null || budget.maxExperiments() < 1) {
            problems.add(new SpecViolations.Violation("budget.maxExperiments", "must be >= 1"));
        }
        if (budget.maxWallSeconds() != null && budget.maxWallSeconds() < 1) {
            problems.add(new SpecViolations.Violation("budget.maxWallSeconds", "must be >= 1"));
        }
        if (budget.parallelism() != null && budget.parallelism() < 1) {
            problems.add(new SpecViolations.Violation("budget.parallelism", "must be >= 1"));
        } else if (budget.parallelism() != null && budget.maxExperiments() != null
                && budget.parallelism() > budget.maxExperiments()) {
            problems.add(new SpecViolations.Violation("budget.parallelism", "must be <= budget.maxExperiments"));
        }
    }

    /**
     * An llm study's options must parse ({@link LlmOptions#parse}, whose message names the option) and it needs code to
     * change: an uploaded workspace and an experiment. A model budget caps language-model calls, which only an llm
     * study makes: on any other strategy it could never be reached, which is a mistake in the spec, not a choice.
     */
    private static void validateLlm(StudySpecDraft draft, List<SpecViolations.Violation> problems) {
        boolean llm = isLlm(draft);
        if (llm) {
            try {
                LlmOptions.parse(draft.strategyOptions() == null ? Map.of() : draft.strategyOptions());
            } catch (IllegalArgumentException e) {
                problems.add(new SpecViolations.Violation("strategyOptions", e.getMessage()));
            }
            if (draft.workspace() == null) {
                problems.add(new SpecViolations.Violation("workspace", "is required for strategy llm: the model"
                        + " edits the workspace's code (" + UPLOAD_HINT + ")"));
            }
            if (draft.experiment() == null) {
                problems.add(new SpecViolations.Violation("experiment", "is required for strategy llm: each proposal"
                        + " is code that must run"));
            }
        }
        StudySpecDraft.ModelBudgetDraft model = draft.budget() == null ? null : draft.budget().model();
        if (model == null) {
            return;
        }
        if (!llm) {
            problems.add(new SpecViolations.Violation("budget.model", "caps language-model calls, which only strategy "
                    + StrategyNames.LLM + " makes (strategy is " + (draft.strategy() == null ? StrategyNames.DEFAULT
                    : draft.strategy()) + ")"));
        }
        if (model.maxCalls() == null && model.maxTokens() == null && model.maxCostUsd() == null) {
            problems.add(new SpecViolations.Violation("budget.model", "must set at least one of maxCalls, maxTokens,"
                    + " maxCostUsd (leave budget.model out for no cap)"));
        }
        if (model.maxCalls() != null && model.maxCalls() < 1) {
            problems.add(new SpecViolations.Violation("budget.model.maxCalls", "must be >= 1 (was " + model.maxCalls()
                    + ")"));
        }
        if (model.maxTokens() != null && model.maxTokens() < 1) {
            problems.add(new SpecViolations.Violation("budget.model.maxTokens", "must be >= 1 (was "
                    + model.maxTokens() + ")"));
        }
        if (model.maxCostUsd() != null && !(Double.isFinite(model.maxCostUsd()) && model.maxCostUsd() > 0)) {
            problems.add(new SpecViolations.Violation("budget.model.maxCostUsd", "must be a positive number of US"
                    + " dollars (was " + model.maxCostUsd() + ")"));
        }
    }

    /** Whether the draft asks for the llm strategy. */
    public static boolean isLlm(StudySpecDraft draft) {
        return StrategyNames.LLM.equals(draft.strategy());
    }

    /** The llm options of a draft that {@link #validate} accepted, or null for another strategy. */
    public static LlmOptions llmOptions(StudySpecDraft draft) {
        return isLlm(draft) ? LlmOptions.parse(draft.strategyOptions() == null ? Map.of() : draft.strategyOptions())
                : null;
    }

    /** Whether {@code value} has the form of a tree hash: {@code sha256:} and 64 lower-case hex digits. */
    public static boolean isTreeHash(String value) {
        return value != null && TREE_HASH.matcher(value).matches();
    }

    /** The contract's objective for a draft that {@link #validate} accepted. */
    public static Objective objective(StudySpecDraft draft) {
        var o = draft.objective();
        return new Objective(o.metric(), parseDirection(o.direction()), o.target());
    }

    public static SearchSpace searchSpace(StudySpecDraft draft) {
        return new SearchSpace(draft.searchSpace().stream()
                .map(p -> new Parameter(p.name(), parseKind(p.kind()), p.low(), p.high(),
                        Boolean.TRUE.equals(p.logScale()), p.choices() == null ? List.of() : p.choices()))
                .toList());
    }

    public static Budget budget(StudySpecDraft draft) {
        var b = draft.budget();
        var m = b.model();
        return new Budget(b.maxExperiments(), b.maxWallSeconds() == null ? DEFAULT_MAX_WALL_SECONDS : b.maxWallSeconds(),
                b.parallelism() == null ? DEFAULT_PARALLELISM : b.parallelism(),
                m == null ? null : new ModelBudget(m.maxCalls(), m.maxTokens(), m.maxCostUsd()));
    }

    /** The experiment with defaults filled in, or null when the spec has none. */
    public static ExperimentSpec experiment(StudySpecDraft draft) {
        var e = draft.experiment();
        if (e == null) {
            return null;
        }
        var l = e.limits();
        ExperimentLimits limits = l == null ? DEFAULT_LIMITS : new ExperimentLimits(
                l.cpuSeconds() == null ? DEFAULT_LIMITS.cpuSeconds() : l.cpuSeconds(),
                l.memoryMiB() == null ? DEFAULT_LIMITS.memoryMiB() : l.memoryMiB(),
                l.maxProcesses() == null ? DEFAULT_LIMITS.maxProcesses() : l.maxProcesses(),
                l.maxOutputBytes() == null ? DEFAULT_LIMITS.maxOutputBytes() : l.maxOutputBytes());
        return new ExperimentSpec(e.command(), e.env() == null ? Map.of() : e.env(),
                e.timeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS : e.timeoutSeconds(),
                e.repeats() == null ? DEFAULT_REPEATS : e.repeats(), limits, e.buildCommand());
    }

    /** The validation with defaults filled in, or null when the spec has none. */
    public static ValidationSpec validation(StudySpecDraft draft) {
        var v = draft.validation();
        if (v == null) {
            return null;
        }
        var h = v.heldOut();
        return new ValidationSpec(v.command(), h == null ? null : h.command(), h == null ? null : h.metric(),
                h == null || h.tolerance() == null ? DEFAULT_HELD_OUT_TOLERANCE : h.tolerance(), v.heldOutData());
    }

    private static Direction parseDirection(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "minimize" -> Direction.MINIMIZE;
            case "maximize" -> Direction.MAXIMIZE;
            default -> null;
        };
    }

    private static ParameterKind parseKind(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "float" -> ParameterKind.FLOAT;
            case "int" -> ParameterKind.INT;
            case "categorical" -> ParameterKind.CATEGORICAL;
            default -> null;
        };
    }
}
