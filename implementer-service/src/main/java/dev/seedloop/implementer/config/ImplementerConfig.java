package dev.seedloop.implementer.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The implementer's own settings ({@code seedloop.implementer.*}). */
@ConfigMapping(prefix = "seedloop.implementer")
public interface ImplementerConfig {

    /**
     * Run experiments without bubblewrap when it is missing. The process runner limits resources but
     * does not isolate: only for trusted code (the demo's examples). Refused by default.
     */
    @WithDefault("false")
    boolean allowUnsandboxed();

    /**
     * Run experiments with per-process limits (RLIMIT_AS, RLIMIT_NPROC, RLIMIT_FSIZE) when whole-experiment limits
     * cannot be had: cgroup v1 memory and pids controllers not writable under {@link #cgroupRoot()}, or no disk
     * quota volumes (the service not root, no {@code mkfs.ext4}). Refused by default: every run then fails with
     * {@code sandbox-refused} naming what is missing.
     */
    @WithDefault("false")
    boolean allowPerProcessLimits();

    /**
     * Where the cgroup v1 controllers are mounted; each run gets groups in {@code memory/} and {@code pids/}
     * below it, under a directory named after this instance's data directory.
     */
    @WithDefault("/sys/fs/cgroup")
    Path cgroupRoot();

    /**
     * This instance's own data directory (relative paths resolve against the working directory). Experiments
     * get their workspace copies in {@code experiments/} below it, which is emptied at every start: what is
     * there then was left by a run that died. One instance per directory (a lock file enforces it). Every
     * ancestor must be searchable by others ({@code o+x}) when the service runs as root, because the sandbox
     * user must reach the workspaces.
     */
    @WithDefault("data/implementer")
    Path dataDir();

    /**
     * Keep an experiment's workspace after it ran (for debugging), moved to {@code kept/} in the data
     * directory where the cleanup at start leaves it; by default it is deleted.
     */
    @WithDefault("false")
    boolean keepWorkspaces();

    /**
     * How long an experiment may outlive the sum of its commands' wall timeouts (copying the workspace,
     * hashing, killing, publishing) before the health check reports it as stuck: a run that could not be killed.
     */
    @WithDefault("5m")
    Duration deadlineGrace();

    /**
     * Directories under which a study from before uploaded workspaces (StudyCreated with a {@code location}) may name
     * its workspace; such a study elsewhere, or any when this is empty (the default), is refused with
     * {@code sandbox-refused}. Compared after resolving links, so a link under a root cannot lead outside it. A
     * server path is no longer trusted (anyone could name {@code /etc}); this keeps the local stack's examples
     * running until they are uploaded trees, and is meant to end up empty.
     */
    Optional<List<Path>> legacyWorkspaceRoots();

    /**
     * How experiments run: {@code local} (bubblewrap, or the process runner where allowed, else refused: ADR 0006,
     * 0019) or {@code kubernetes-job} (each command a Job in a cluster, {@link #kubernetesJob()}: ADR 0026).
     */
    @WithDefault("local")
    Executor executor();

    /** The executors an operator can choose. */
    enum Executor {
        /** On this machine, in bubblewrap ({@code ExecutorSelector}). */
        LOCAL,
        /** As Kubernetes Jobs through the API server ({@code KubernetesJobExecutor}). */
        KUBERNETES_JOB
    }

    /** The Kubernetes Job executor's settings; read only when {@link #executor()} is {@code kubernetes-job}. */
    KubernetesJob kubernetesJob();

    /** Where and how experiment Jobs run (ADR 0026). */
    interface KubernetesJob {

        /** The namespace of the Jobs and ConfigMaps; by default the Kubernetes client's (the service's own in a pod). */
        Optional<String> namespace();

        /** The image the experiment command runs in: it must hold the study's interpreter and libraries. */
        @WithDefault("python:3.12-slim")
        String image();

        /**
         * The image of the trusted containers that unpack the workspace and pack it back ({@code sh}, {@code tar} with
         * gzip, {@code base64}); by default {@link #image()}.
         */
        Optional<String> toolsImage();

        /** The service account experiment pods run as (its token is never mounted); by default the namespace's. */
        Optional<String> serviceAccount();

        /** CPU for each experiment pod, as a resource request and limit (a Kubernetes quantity, e.g. {@code 1}, {@code 500m}). */
        @WithDefault("1")
        String cpu();

        /** How often the Job and its pod are read while a run goes on. */
        @WithDefault("1s")
        Duration pollInterval();

        /**
         * How long a run may take beyond its wall timeout to be scheduled, pull its images and unpack, before it is
         * stopped as timed out.
         */
        @WithDefault("5m")
        Duration startTimeout();

        /** Delete each run's Job (background propagation: its pod with it) and ConfigMap when it ended. */
        @WithDefault("true")
        boolean cleanup();

        /**
         * The most a workspace, with a held-out command's data, may pack to (tar.gz) to be handed to a pod in a
         * ConfigMap, and the most a workspace may pack to when brought back; more is refused ({@code sandbox-refused}).
         * A ConfigMap holds at most 1 MiB, base64 included in the request.
         */
        @WithDefault("716800")
        long maxWorkspaceBytes();
    }

    /** The artifact store (ADR 0018): how its schema is migrated at start. */
    Artifacts artifacts();

    interface Artifacts {

        /** The owner role that migrates schema {@code artifacts} (ADR 0016); the queries run as the application role. */
        Migration migration();

        interface Migration {
            /** The owner role's name (the same {@code QUARKUS_FLYWAY_USERNAME} the learner migrates with). */
            String username();

            /** The owner role's password. */
            String password();
        }
    }

    /** The most a study spec may ask for; an experiment asking for more is refused ({@code sandbox-refused}). */
    Maxima max();

    /** Upper bounds set by the operator; each applies to every run (build, repeat, validation, held-out). */
    interface Maxima {

        /** Longest wall timeout per run a spec may set ({@code timeoutSeconds}). */
        @WithDefault("24h")
        Duration timeout();

        /** Most CPU seconds per process ({@code limits.cpuSeconds}). */
        @WithDefault("86400")
        long cpuSeconds();

        /** Most memory in MiB for all processes of a run together ({@code limits.memoryMiB}). */
        @WithName("memory-mib")
        @WithDefault("65536")
        long memoryMiB();

        /** Most processes and threads of a run together ({@code limits.maxProcesses}). */
        @WithDefault("4096")
        int processes();

        /** Most stdout+stderr bytes per run ({@code limits.maxOutputBytes}); only the tails are kept in memory. */
        @WithDefault("1073741824")
        long outputBytes();

        /**
         * Most bytes an experiment may add to its workspace (its own volume), over all its runs; also the size of
         * each run's private {@code /tmp}. Study specs cannot name a disk limit yet, so every experiment gets this.
         */
        @WithDefault("10737418240")
        long diskBytes();

        /**
         * Most repeats per experiment. Bounds the outcome's size too: with at most 100 repeats an
         * ExperimentCompleted stays far below the event size limit whatever the experiment prints.
         */
        @WithDefault("100")
        int repeats();
    }
}
