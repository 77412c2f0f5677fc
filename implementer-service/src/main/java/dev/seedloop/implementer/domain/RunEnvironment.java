package dev.seedloop.implementer.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The environment of every command an experiment runs (build, repeats, validation, held-out), built here and
 * nowhere else. Layers, a later one winning on a clash: the base every run gets ({@code PATH}, {@code HOME} = its
 * workspace, {@code LANG}); the study's {@code env}; the parameters ({@code SEEDLOOP_PARAM_<NAME>}: they are what
 * the experiment varies); for a repeat {@code SEEDLOOP_SEED} and {@code SEEDLOOP_REPEAT}; and for a run with a
 * read-only mount its variable naming the directory ({@code SEEDLOOP_HELDOUT_DATA}, the held-out command only).
 * Nothing of the service's own environment is passed on.
 *
 * <p>An instance holds what is the same for every command of one experiment (the study's env and the
 * parameters); {@link #sandboxed} and {@link #unsandboxed} add what an executor knows only at the run.
 */
public final class RunEnvironment {

    /** The search path inside the sandbox, and of the sandbox's own launcher. */
    public static final String PATH = "/usr/local/bin:/usr/bin:/bin";

    /** Prefix of the variable naming each parameter. */
    public static final String PARAM_PREFIX = "SEEDLOOP_PARAM_";

    /** The repeat's seed (common random numbers: the same for repeat i of every proposal of a study). */
    public static final String SEED = "SEEDLOOP_SEED";

    /** The repeat's index, from 0; not set for the build, the validation or the held-out command. */
    public static final String REPEAT = "SEEDLOOP_REPEAT";

    /** Names the held-out data's directory, for the held-out command only (ADR 0020). */
    public static final String HELD_OUT_DATA = "SEEDLOOP_HELDOUT_DATA";

    private final Map<String, String> experiment;

    private RunEnvironment(Map<String, String> experiment) {
        this.experiment = Collections.unmodifiableMap(experiment);
    }

    /**
     * @param studyEnv      the study spec's {@code env}
     * @param parameterVars the parameters as {@link #parameterVariables} names them
     */
    public static RunEnvironment of(Map<String, String> studyEnv, Map<String, String> parameterVars) {
        Map<String, String> all = new LinkedHashMap<>(studyEnv);
        all.putAll(parameterVars);
        return new RunEnvironment(all);
    }

    /** A variable per parameter: {@code lr-max} becomes {@code SEEDLOOP_PARAM_LR_MAX}, its value as text. */
    public static Map<String, String> parameterVariables(Map<String, ?> parameters) {
        Map<String, String> env = new LinkedHashMap<>();
        parameters.forEach((name, value) -> env.put(
                PARAM_PREFIX + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_"), String.valueOf(value)));
        return env;
    }

    /** For the build, the validation and the held-out command: the study's env and the parameters. */
    public Map<String, String> command() {
        return experiment;
    }

    /** For repeat {@code index} (from 0) with its {@code seed}. */
    public Map<String, String> repeat(long seed, int index) {
        Map<String, String> env = new LinkedHashMap<>(experiment);
        env.put(SEED, Long.toString(seed));
        env.put(REPEAT, Integer.toString(index));
        return Collections.unmodifiableMap(env);
    }

    /** What the command of {@code request} sees in a sandbox, which binds each mount at its target. */
    public static Map<String, String> sandboxed(RunRequest request) {
        return process(request, true);
    }

    /** What the command of {@code request} sees without a sandbox, which cannot mount: each mount at its source. */
    public static Map<String, String> unsandboxed(RunRequest request) {
        return process(request, false);
    }

    /** What the sandbox's own launcher ({@code setpriv}, {@code bwrap}) runs with: a search path and nothing else. */
    public static Map<String, String> launcher() {
        return Map.of("PATH", PATH);
    }

    private static Map<String, String> process(RunRequest request, boolean mounted) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", request.workspace().toString());
        env.put("LANG", "C.UTF-8");
        env.putAll(request.env());
        request.mounts().forEach(mount -> env.put(mount.envVar(),
                mounted ? mount.target() : mount.source().toString()));
        return Collections.unmodifiableMap(env);
    }
}
