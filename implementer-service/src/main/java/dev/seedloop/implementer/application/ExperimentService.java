package dev.seedloop.implementer.application;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;

import dev.seedloop.artifacts.ArtifactRejectedException;
import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.Change;
import dev.seedloop.artifacts.Patches;
import dev.seedloop.artifacts.ProtectedPaths;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventLimits;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentSpec;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.ValidationSpec;
import dev.seedloop.implementer.config.ImplementerConfig;
import dev.seedloop.implementer.domain.ExperimentMaxima;
import dev.seedloop.implementer.domain.Outcome;
import dev.seedloop.implementer.domain.RunLimits;
import dev.seedloop.messaging.StudyDirectory;
import io.quarkus.runtime.Startup;

/**
 * Runs one proposal as an experiment: its own workspace (the proposal's parent tree plus its patches, stored as the
 * child tree), the repeats in the sandbox, then the study's validation and held-out commands, each in a fresh
 * workspace of the same code (ADR 0020). Reports through the given sink:
 * ExperimentStarted first, then ExperimentCompleted or ExperimentFailed, with ids derived from the
 * proposal so a re-run reports under the same ids. Blocking; runs on the experiment worker pool.
 * Started with the service, so the experiments directory is locked and cleaned before any proposal runs.
 */
@Startup
@ApplicationScoped
public class ExperimentService {

    private static final Logger LOG = Logger.getLogger(ExperimentService.class);

    /** Detail of the ExperimentFailed reported for an experiment stopped by a halt of its study. */
    public static final String HALTED = "halted: the study was halted while the experiment ran; its processes were killed";

    private ExperimentExecutor executor;
    private ExperimentsDirectory workspaces;
    private ExperimentMaxima maxima;
    private DiskVolumes volumes;

    @Inject
    ImplementerConfig config;

    @Inject
    StudyDirectory directory;

    @Inject
    RunningExperiments running;

    @Inject
    EventCodec codec;

    @Inject
    Clock clock;

    @Inject
    ArtifactStore store;

    @Inject
    Instance<KubernetesClient> kubernetesClient;

    @PostConstruct
    void init() throws IOException {
        workspaces = ExperimentsDirectory.open(config.dataDir());
        ControlGroups.Result groups = ControlGroups.open(config.cgroupRoot(), instanceName(config.dataDir()));
        groups.available().ifPresent(ControlGroups::removeLeftovers);
        DiskVolumes.Result disks = DiskVolumes.open(workspaces.experiments());
        volumes = disks.volumes();
        executor = config.executor() == ImplementerConfig.Executor.KUBERNETES_JOB ? kubernetesJobs()
                : ExecutorSelector.select(config.allowUnsandboxed(), config.allowPerProcessLimits(), groups, disks);
        ImplementerConfig.Maxima max = config.max();
        maxima = new ExperimentMaxima(max.timeout(), max.cpuSeconds(), max.memoryMiB(), max.processes(),
                max.outputBytes(), max.diskBytes(), max.repeats());
        LOG.infof("experiments run with the %s executor in %s; a spec may ask for at most %s", executor.name(),
                workspaces.experiments(), maxima);
        // A halted study stops its experiments now, not when they end.
        directory.onStatusChange(study -> {
            if (study.status() == StudyDirectory.Status.HALTED) {
                running.halt(study.created().studyId());
            }
        });
    }

    /** The Job executor, with the client only created when it is chosen (the local default never needs one). */
    private ExperimentExecutor kubernetesJobs() {
        KubernetesClient client = kubernetesClient.get();
        ImplementerConfig.KubernetesJob jobs = config.kubernetesJob();
        return new KubernetesJobExecutor(client, new KubernetesJobExecutor.Settings(
                jobs.namespace().or(() -> Optional.ofNullable(client.getNamespace())).orElse("default"), jobs.image(), jobs.toolsImage().orElse(jobs.image()),
                jobs.serviceAccount(), jobs.cpu(), jobs.pollInterval(), jobs.startTimeout(), jobs.cleanup(),
                jobs.maxWorkspaceBytes()));
    }

    @PreDestroy
    void close() throws IOException {
        workspaces.close();
    }

    /** Names this instance's cgroups: one per data directory, as the lock on it makes one instance per directory. */
    static String instanceName(Path dataDir) {
        String hash = dev.seedloop.events.ContentHash.sha256(dataDir.toAbsolutePath().normalize().toString());
        return "seedloop-implementer-" + hash.substring(dev.seedloop.events.ContentHash.PREFIX.length(),
                dev.seedloop.events.ContentHash.PREFIX.length() + 12);
    }

    public static UUID experimentId(ProposalCreated proposal) {
        return EventIds.derived(proposal.proposalId(), "experiment");
    }

    /**
     * Runs the proposal and reports its start and outcome. A halt of its study stops the commands (the
     * executors kill their process trees) and is reported as {@link #HALTED}.
     *
     * @return false when the study was halted before the experiment started (nothing is reported then)
     */
    public boolean run(EventEnvelope cause, ProposalCreated proposal, StudyCreated study, Consumer<EventEnvelope> report)
            throws InterruptedException {
        RunningExperiment current = running.start(cause.studyId(), experimentId(proposal), deadline(study));
        try {
            // Registered first, then checked: a halt in between is either seen here or reaches `current`.
            if (isHalted(cause.studyId())) {
                LOG.infof("study %s halted: proposal %s is not run", cause.studyId(), proposal.proposalId());
                return false;
            }
            execute(cause, proposal, study, report, current);
            return true;
        } finally {
            running.finish(current);
        }
    }

    /** By when the experiment must have ended; see {@link ExperimentMaxima#allowance}. */
    private Instant deadline(StudyCreated study) {
        Duration perCommand = config.executor() == ImplementerConfig.Executor.KUBERNETES_JOB
                ? config.kubernetesJob().startTimeout() : Duration.ZERO;
        Duration allowance = study.experiment() == null ? config.deadlineGrace()
                : maxima.allowance(study.experiment(), study.validation(), config.deadlineGrace(), perCommand);
        return clock.instant().plus(allowance);
    }

    private void execute(EventEnvelope cause, ProposalCreated proposal, StudyCreated study,
            Consumer<EventEnvelope> report, RunningExperiment current) throws InterruptedException {
        UUID experimentId = experimentId(proposal);
        ExperimentSpec spec = study.experiment();
        if (spec == null || study.workspace() == null) {
            report.accept(outcome(cause, proposal, new ExperimentFailed(experimentId, proposal.proposalId(),
                    FailureReason.BUILD_FAILED, "the study spec has no experiment or workspace to run",
                    ResourceUsage.NONE, "")));
            return;
        }
        RunLimits limits = limits(spec);
        List<String> excesses = maxima.excesses(limits, spec.repeats());
        if (!excesses.isEmpty()) {
            report.accept(outcome(cause, proposal, new ExperimentFailed(experimentId, proposal.proposalId(),
                    FailureReason.SANDBOX_REFUSED, "the study asks for more than this implementer allows: "
                            + String.join(", ", excesses) + " (the operator's seedloop.implementer.max.* settings);"
                            + " ask for at most that", ResourceUsage.NONE, "")));
            return;
        }
        WorkspaceMaterializer materializer = new WorkspaceMaterializer(workspaces.experiments(), protectedGlobs(study),
                volumes, limits.diskBytes());
        Sources sources;
        MaterializedWorkspace workspace;
        try {
            sources = sources(cause.team(), study, proposal, materializer);
            workspace = materializer.materialize(sources.code(), experimentId.toString(), proposal.parameters());
        } catch (Refused refused) {
            report.accept(outcome(cause, proposal, new ExperimentFailed(experimentId, proposal.proposalId(),
                    refused.reason, refused.getMessage(), ResourceUsage.NONE, "")));
            return;
        } catch (IllegalArgumentException refused) {
            // A legacy directory's patch through a link or a file, or leaving it: found only while writing it.
            report.accept(outcome(cause, proposal, new ExperimentFailed(experimentId, proposal.proposalId(),
                    FailureReason.PATCH_REFUSED, "refused the patch set: " + refused.getMessage(),
                    ResourceUsage.NONE, "")));
            return;
        } catch (IOException e) {
            report.accept(outcome(cause, proposal, new ExperimentFailed(experimentId, proposal.proposalId(),
                    FailureReason.BUILD_FAILED, "could not prepare the workspace: " + e.getMessage(),
                    ResourceUsage.NONE, "")));
            return;
        }
        try {
            report.accept(event(cause, EventIds.derived(experimentId, "started"), new ExperimentStarted(experimentId,
                    proposal.proposalId(), executor.name(), workspace.contentHash(), spec.repeats(),
                    sources.parentTree(), sources.tree())));
            ExperimentRunner runner = new ExperimentRunner(executor, materializer, this::release);
            long started = System.nanoTime();
            EventPayload result;
            if (!current.enterCommands()) {
                result = halted(experimentId, proposal, started);
            } else {
                try {
                    // Common random numbers: repeat i of every proposal gets the same seed, so proposals are
                    // compared on the same instances and the seeds' own noise cancels out of the comparison.
                    Outcome outcome = runner.run(workspace, new ExperimentPlan(
                            spec.buildCommand() == null ? List.of() : spec.buildCommand(), spec.command(),
                            spec.repeats(), study.seed(), study.objective().metric(), limits, spec.env(),
                            study.validation() == null ? null : new ExperimentPlan.ValidationInput(study.validation(),
                                    sources.code(), proposal.parameters(), sources.heldOutData())));
                    result = switch (outcome) {
                        case Outcome.Failed failed -> new ExperimentFailed(experimentId, proposal.proposalId(),
                                failed.reason(), failed.detail(), failed.usage(), failed.logTail());
                        case Outcome.Completed completed -> new ExperimentCompleted(experimentId,
                                proposal.proposalId(), completed.repeats(), completed.usage(), completed.logTail(),
                                completed.validation(), completed.heldOut(), sources.tree());
                    };
                } catch (InterruptedException | IOException stopped) {
                    // An interrupt between two commands may surface as an I/O error (ClosedByInterruptException).
                    if (!current.halted()) {
                        throw stopped;
                    }
                    result = halted(experimentId, proposal, started);
                } finally {
                    current.leaveCommands();
                }
            }
            report.accept(outcome(cause, proposal, result));
        } catch (IOException e) {
            report.accept(outcome(cause, proposal, new ExperimentFailed(experimentId, proposal.proposalId(),
                    FailureReason.CRASHED, "I/O error around the run: " + e.getMessage(), ResourceUsage.NONE,
                    "")));
        } finally {
            release(workspace.dir());
        }
    }

    /**
     * What the experiment's workspaces are made of. For a study with an uploaded workspace: the proposal's parent
     * tree (the study's own when the proposal names none) plus its patches, stored as the child tree and granted to
     * the study's team before anything runs, so the gateway can serve it to that team (and only to it). For a study
     * from before: its server directory, only under {@code legacy-workspace-roots}.
     */
    private Sources sources(String team, StudyCreated study, ProposalCreated proposal,
            WorkspaceMaterializer materializer) throws Refused {
        WorkspaceContent heldOutData = null;
        ValidationSpec validation = study.validation();
        if (validation != null && validation.heldOutData() != null) {
            String hash = validation.heldOutData();
            Tree data = store.treeOwnedBy(team, hash).orElseThrow(() -> new Refused(FailureReason.BUILD_FAILED,
                    "the study's held-out data " + hash + " is not a stored tree of team " + team));
            heldOutData = WorkspaceContent.of(store, data);
        }
        if (study.workspace().isLegacyLocation()) {
            Path base = legacyBase(study.workspace().location());
            try {
                // Normalised first, as for trees: ./tests/x, tests//x and TESTS/x are tests/x.
                ProtectedPaths guarded = ProtectedPaths.of(study.protectedPaths());
                proposal.patches().forEach(patch -> guarded.requireWritable(patch.path()));
                return new Sources(materializer.legacy(base, proposal.patches()), null, null, heldOutData);
            } catch (ArtifactRejectedException refused) {
                throw new Refused(FailureReason.PATCH_REFUSED, "refused the patch set (" + refused.reason().code()
                        + "): " + refused.getMessage());
            } catch (IllegalArgumentException refused) {
                throw new Refused(FailureReason.PATCH_REFUSED, "refused the patch set: " + refused.getMessage());
            }
        }
        String parentHash = proposal.parentTree() != null ? proposal.parentTree() : study.workspace().tree();
        Tree parent = store.treeOwnedBy(team, parentHash).orElseThrow(() -> new Refused(FailureReason.PATCH_REFUSED,
                "the parent tree " + parentHash + " is not a stored tree of team " + team));
        Tree child;
        try {
            child = new Patches(store, ProtectedPaths.of(study.protectedPaths()))
                    .apply(parent, Change.of(proposal.patches()));
        } catch (ArtifactRejectedException refused) {
            throw new Refused(FailureReason.PATCH_REFUSED, "refused the patch set (" + refused.reason().code()
                    + "): " + refused.getMessage());
        }
        store.grant(team, child.hash());
        return new Sources(WorkspaceContent.of(store, child), parent.hash(), child.hash(), heldOutData);
    }

    /**
     * The real path of a legacy study's directory, when it lies under one of the operator's legacy roots (both
     * resolved, so a link below a root cannot lead out of it).
     */
    private Path legacyBase(String location) throws Refused {
        List<Path> roots = config.legacyWorkspaceRoots().orElse(List.of());
        String advice = "; upload the workspace instead (seedloop workspace push, or a local directory as the spec's"
                + " workspace)";
        if (roots.isEmpty()) {
            throw new Refused(FailureReason.SANDBOX_REFUSED, "the study names the server path " + location
                    + " as its workspace, and this implementer runs no server paths"
                    + " (seedloop.implementer.legacy-workspace-roots is empty)" + advice);
        }
        Path real;
        try {
            real = Path.of(location).toRealPath();
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new Refused(FailureReason.SANDBOX_REFUSED, "the study's workspace " + location
                    + " cannot be read here: " + e.getMessage() + advice);
        }
        for (Path root : roots) {
            try {
                if (real.startsWith(root.toRealPath())) {
                    return real;
                }
            } catch (IOException e) {
                // A root that does not exist on this machine holds nothing.
            }
        }
        throw new Refused(FailureReason.SANDBOX_REFUSED, "the study names the server path " + location
                + ", which is not under seedloop.implementer.legacy-workspace-roots " + roots + advice);
    }

    /**
     * The experiment's code (written afresh for the experiment, its validation and its held-out command), the trees
     * it comes from (null for a legacy study) and the held-out data (null when the study names none).
     */
    private record Sources(WorkspaceContent code, String parentTree, String tree, WorkspaceContent heldOutData) {
    }

    /** Why a proposal cannot run at all; reported as its outcome. */
    private static final class Refused extends Exception {

        private final FailureReason reason;

        Refused(FailureReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }

    /** A stop from outside is no fault of the experiment: HALTED (ExperimentFailed v2), with the detail saying so. */
    private ExperimentFailed halted(UUID experimentId, ProposalCreated proposal, long startedNanos) {
        LOG.infof("experiment %s stopped: its study was halted", experimentId);
        long wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        return new ExperimentFailed(experimentId, proposal.proposalId(), FailureReason.HALTED, HALTED,
                new ResourceUsage(wallMillis, 0, 0), "");
    }

    private boolean isHalted(String studyId) {
        return directory.find(studyId).map(s -> s.status() == StudyDirectory.Status.HALTED).orElse(false);
    }

    /** The spec's limits; the disk limit is the operator's, as a spec cannot name one (ExperimentLimits has none). */
    private RunLimits limits(ExperimentSpec spec) {
        return new RunLimits(Duration.ofSeconds(spec.timeoutSeconds()), spec.limits().cpuSeconds(),
                spec.limits().memoryMiB(), spec.limits().maxProcesses(), spec.limits().maxOutputBytes(),
                config.max().diskBytes());
    }

    /** {@code tests/} in a spec protects the whole directory. */
    static List<String> protectedGlobs(StudyCreated study) {
        List<String> globs = new ArrayList<>();
        for (String path : study.protectedPaths()) {
            String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            globs.add(trimmed);
            globs.add(trimmed + "/**");
        }
        return globs;
    }

    /** Every outcome fits the event size limit, so publishing it can never stall the channel. */
    private EventEnvelope outcome(EventEnvelope cause, ProposalCreated proposal, EventPayload payload) {
        return OutcomeSize.fit(codec, event(cause, EventIds.derived(experimentId(proposal), "outcome"), payload),
                EventLimits.MAX_EVENT_BYTES);
    }

    private EventEnvelope event(EventEnvelope cause, UUID id, EventPayload payload) {
        return cause.caused(id, clock.instant(), Services.IMPLEMENTER, payload);
    }

    /** A finished workspace is deleted, or kept for debugging; what fails here the next start removes. */
    private void release(Path dir) {
        try {
            if (config.keepWorkspaces()) {
                try {
                    workspaces.keep(dir);
                } catch (IOException e) {
                    LOG.warnf("could not keep the workspace %s, removing it: %s", dir, e.getMessage());
                }
            }
            // Nothing when it was kept; otherwise its volume is unmounted and the directory deleted.
            WorkspaceMaterializer.release(dir);
        } catch (IOException e) {
            LOG.warnf("could not remove the workspace %s: %s", dir, e.getMessage());
        }
    }
}
