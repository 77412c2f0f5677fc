package dev.seedloop.gateway.config;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The gateway's own settings ({@code seedloop.gateway.*}). */
@ConfigMapping(prefix = "seedloop.gateway")
public interface GatewayConfig {

    /** Quotas of a team whose admin never set any (the learner admits studies against them). */
    Quota quota();

    /** The public OIDC client the CLI logs in with, announced by {@code GET /api/v1/auth}. */
    @WithDefault("seedloop-cli")
    String cliClientId();

    /** The audience every accepted token must carry (also enforced by {@code quarkus.oidc.token.audience}). */
    @WithDefault("seedloop-gateway")
    String audience();

    /** How long a read waits for the learner's answer before the client gets 503. */
    @WithDefault("10s")
    Duration queryTimeout();

    /** Live streams send a comment this often when idle, and re-read the store to heal any missed event. */
    @WithDefault("10s")
    Duration streamHeartbeat();

    /**
     * A live stream whose reader has not taken the last event for this long is cut off (the connection closed; the
     * client resumes with {@code Last-Event-ID}). Until then it holds at most one page of events in the gateway.
     */
    @WithDefault("30s")
    Duration streamStallTimeout();

    /** Study imports ({@code POST /api/v1/imports}): how much one may hold, how many run at once. */
    Imports imports();

    interface Imports {
        /**
         * Most bytes of event lines one import may bring. Its events are checked whole before any is published, so
         * they are held in memory until then; this bounds that memory (the trees after them stream into the store). A
         * larger file is refused (400 {@code limit-exceeded} at the line that passes it).
         */
        @WithDefault("64M")
        MemorySize maxEventBytes();

        /**
         * Imports checked at the same time; one more meanwhile is answered 429 with {@code Retry-After}. With
         * {@link #maxEventBytes()} it bounds what imports hold in memory at once.
         */
        @WithDefault("2")
        int maxConcurrent();
    }

    /** Readiness: whether a read can be answered now, proven by a ping round trip to the learner. */
    Readiness readiness();

    /** Uploaded workspaces (ADR 0018): what one upload may hold, and how the artifact store is migrated. */
    Workspaces workspaces();

    /**
     * The most a study spec may ask of one experiment; a spec asking for more is refused (400 naming the limit), so
     * it never reaches the implementer, whose own {@code seedloop.implementer.max.*} these mirror.
     */
    ExperimentCeilings experimentCeilings();

    /** Studies whose strategy is {@code llm}: how far a spec's workspace is searched, how much of a prompt is shown. */
    Llm llm();

    interface Llm {
        /**
         * Most bytes of a workspace read when an llm study names no {@code editable} files, looking for an
         * {@code EVOLVE-BLOCK-START} marker in its unprotected files (tree order, files of at most 1 MiB). A study whose
         * files within this budget have none is refused; past it the check gives up and the proposer has the last
         * word, so creating a study never reads a whole large workspace.
         */
        @WithDefault("16M")
        MemorySize markerScanBytes();

        /**
         * Most bytes of a model call's prompt or answer that {@code GET .../model-calls/{callId}/prompt|answer}
         * returns; a longer text is cut at a character boundary and says so in its {@code Seedloop-Truncated} header.
         */
        @WithDefault("1M")
        MemorySize maxTextBytes();
    }

    interface Workspaces {
        /**
         * Largest sum of the uncompressed file sizes of one upload (also the largest {@code .zip} body). The HTTP
         * layer's {@code quarkus.http.limits.max-body-size} must not be smaller.
         */
        @WithDefault("256M")
        MemorySize maxTotalBytes();

        /** Most entries of one upload (files, links and directory entries). */
        @WithDefault("20000")
        int maxFiles();

        /** Largest single file of an upload, uncompressed. */
        @WithDefault("64M")
        MemorySize maxFileBytes();

        /** How many times its compressed size an upload (and a zip entry) may grow once decompressed: zip bombs. */
        @WithDefault("200")
        int maxCompressionRatio();

        /**
         * Largest diff {@code GET .../proposals/{pid}/diff} answers (UTF-8 bytes of the unified diff). A diff is built
         * in memory before it is sent (a problem can only be answered before the first byte), so this bounds that
         * memory too; a larger one is refused with 422 {@code diff-too-large}, pointing to the file list and checkout.
         */
        @WithDefault("4M")
        MemorySize maxDiffBytes();

        /** The role that migrates schema {@code artifacts} (ADR 0016); the gateway itself runs as the application role. */
        Migration migration();

        interface Migration {
            /** The owner role's name (the same {@code QUARKUS_FLYWAY_USERNAME} the learner migrates with). */
            String username();

            /** The owner role's password. */
            String password();
        }
    }

    interface ExperimentCeilings {
        /** Longest wall timeout per run ({@code experiment.timeoutSeconds}); the implementer's {@code max.timeout}. */
        @WithDefault("24h")
        Duration timeout();

        /** Most CPU seconds per process ({@code experiment.limits.cpuSeconds}). */
        @WithDefault("86400")
        long cpuSeconds();

        /** Largest memory in MiB ({@code experiment.limits.memoryMiB}). */
        @WithName("memory-mib")
        @WithDefault("65536")
        long memoryMiB();

        /** Most processes ({@code experiment.limits.maxProcesses}). */
        @WithDefault("4096")
        int processes();

        /** Most stdout+stderr bytes per run ({@code experiment.limits.maxOutputBytes}). */
        @WithDefault("1073741824")
        long outputBytes();
    }

    interface Readiness {
        /** How long a readiness ping waits for the learner's pong before the gateway counts as not ready. */
        @WithDefault("3s")
        Duration pingTimeout();

        /** How long one ping's outcome answers readiness probes, so probes cost a Kafka round trip at most this often. */
        @WithDefault("5s")
        Duration cacheFor();
    }

    /** Defaults sent with each admission ({@code Query.AdmitStudy}); the learner applies them where a team set none. */
    interface Quota {
        /** Studies a team may have created, running or paused at once. */
        @WithDefault("5")
        int maxConcurrentStudies();

        /** Experiments a team may start per day (from 00:00 UTC). */
        @WithDefault("2000")
        int maxExperimentsPerDay();
    }
}
