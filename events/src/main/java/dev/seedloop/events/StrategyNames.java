package dev.seedloop.events;

import java.util.List;

/**
 * The strategy names a study spec may ask for. The gateway validates against this list and the
 * proposer must implement every one of them (its tests check), so both agree without sharing code.
 */
public final class StrategyNames {

    public static final String DEFAULT = "default";
    public static final String RANDOM = "random";
    public static final String SOBOL = "sobol";
    public static final String EVOLUTIONARY = "evolutionary";
    public static final String TPE = "tpe";
    /** Language models propose code changes; its options are {@link LlmOptions}. */
    public static final String LLM = "llm";

    public static final List<String> ALL = List.of(DEFAULT, RANDOM, SOBOL, EVOLUTIONARY, TPE, LLM);

    private StrategyNames() {
    }
}
