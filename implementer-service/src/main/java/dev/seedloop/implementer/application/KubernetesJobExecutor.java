package dev.seedloop.implementer.application;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.seedloop.implementer.domain.ExceededLimit;
import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.ReadOnlyMount;
import dev.seedloop.implementer.domain.RunEnvironment;
import dev.seedloop.implementer.domain.RunLimits;
import dev.seedloop.implementer.domain.RunRequest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Runs each command of an experiment as a Kubernetes Job (ADR 0026), with the same {@link RawRun} a local sandbox
 * reports, so {@code OutcomeClassifier} judges both alike. The Job's one pod runs three containers in order:
 * <ol>
 * <li>init container {@value #UNPACK} (the trusted tools image) unpacks the workspace, and a held-out command's
 * read-only data, from the run's ConfigMap into emptyDirs;</li>
 * <li>init container {@value #EXPERIMENT} runs the command in the workspace, mounted at the same path as here, its
 * protected files re-mounted read-only (subPath mounts of the same volume), a private {@code /tmp}, the held-out
 * data read-only at its target for the held-out command only, non-root, read-only root, no capabilities, seccomp
 * RuntimeDefault, no service account token, memory and ephemeral storage as resource limits, the run's wall
 * timeout as the Job's {@code activeDeadlineSeconds};</li>
 * <li>container {@value #REPORT} (trusted, started only after every process of the experiment has ended) packs the
 * workspace, mounted read-only, and prints it between markers to its own log, which is how the next command, the
 * metrics file and the protected-path check see what the experiment wrote, as they would after a local run.</li>
 * </ol>
 * The exit code, OOM kill and eviction come from the pod's status as the kubelet writes it, never from anything the
 * experiment prints. The Job and its ConfigMap are deleted afterwards (background propagation), and at once when the
 * waiting thread is interrupted (a halt).
 */
public final class KubernetesJobExecutor implements ExperimentExecutor {

    /** The executor's name in ExperimentStarted, and the value of {@code seedloop.implementer.executor}. */
    public static final String NAME = "kubernetes-job";
    /** Names the Job, its ConfigMap and its pod: one value per run. */
    public static final String RUN_LABEL = "seedloop.dev/run";
    /** On the Job, the ConfigMap and the pod; a NetworkPolicy selects experiment pods by the first two. */
    public static final Map<String, String> LABELS = Map.of(
            "app.kubernetes.io/component", "experiment",
            "app.kubernetes.io/part-of", "seedloop",
            "app.kubernetes.io/managed-by", "implementer-service");
    static final String UNPACK = "unpack";
    static final String EXPERIMENT = "experiment";
    static final String REPORT = "report";
    static final String WORKSPACE_KEY = "workspace.tar.gz";
    static final String BEGIN = "seedloop-workspace-begin";
    static final String END = "seedloop-workspace-end";
    static final long UID = BubblewrapExecutor.SANDBOX_UID;
    /** Where the tools containers keep what the experiment must not see or write. */
    private static final String DELIVERY_DIR = "/seedloop/delivery";
    private static final String MOUNTS_DIR = "/seedloop/mounts/";
    private static final String REPORT_DIR = "/seedloop/report";
    /** Waiting reasons that will not cure themselves: the pod is refused rather than waited for until the deadline. */
    private static final Set<String> STUCK = Set.of("ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
            "CreateContainerConfigError");
    private static final int DELETE_ATTEMPTS = 5;
    /** Removes a finished Job that could not be deleted (or was kept), so none piles up: one hour. */
    static final int TTL_AFTER_FINISHED_SECONDS = 3600;
    private static final Logger LOG = Logger.getLogger(KubernetesJobExecutor.class);

    /**
     * What the operator configures ({@code seedloop.implementer.kubernetes-job.*}).
     *
     * @param toolsImage      the image of the trusted unpack and report containers: needs {@code sh}, {@code tar}
     *                        with gzip, {@code base64}
     * @param startTimeout    how long a run may take beyond its wall timeout to be scheduled, pulled and unpacked
     * @param maxWorkspaceBytes the most a workspace (and held-out data) may pack to, both ways
     */
    public record Settings(String namespace, String image, String toolsImage, Optional<String> serviceAccount,
                           String cpu, Duration pollInterval, Duration startTimeout, boolean cleanup,
                           long maxWorkspaceBytes) {
    }

    private final KubernetesClient client;
    private final Settings settings;

    public KubernetesJobExecutor(KubernetesClient client, Settings settings) {
        this.client = client;
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RawRun run(RunRequest request) throws InterruptedException {
        String run = "seedloop-run-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Map<String, String> delivery = new LinkedHashMap<>();
        long left = settings.maxWorkspaceBytes();
        try {
            List<Path> trees = new ArrayList<>(List.of(request.workspace()));
            request.mounts().forEach(m -> trees.add(m.source()));
            for (int i = 0; i < trees.size(); i++) {
                byte[] packed = WorkspaceArchive.pack(trees.get(i), left);
                left -= packed.length;
                delivery.put(i == 0 ? WORKSPACE_KEY : mountKey(i - 1), Base64.getEncoder().encodeToString(packed));
            }
        } catch (WorkspaceArchive.TooLarge e) {
            return RawRun.refused("the workspace (with any held-out data) packs to more than "
                    + "seedloop.implementer.kubernetes-job.max-workspace-bytes (" + settings.maxWorkspaceBytes()
                    + " bytes), the most a Job is handed through its ConfigMap");
        } catch (IOException e) {
            return RawRun.refused("cannot pack the workspace for the Job: " + e.getMessage());
        }
        long start = System.nanoTime();
        boolean interrupted = false;
        try {
            client.configMaps().inNamespace(settings.namespace()).resource(configMap(run, delivery)).create();
            client.batch().v1().jobs().inNamespace(settings.namespace()).resource(job(run, request)).create();
            return await(run, request, start);
        } catch (KubernetesClientException e) {
            if (e.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                interrupted = true;
                throw halted(e);
            }
            return RawRun.refused("infrastructure: the cluster refused or lost the experiment's Job " + run + ": "
                    + e.getMessage());
        } catch (InterruptedException e) {
            interrupted = true;
            throw e;
        } finally {
            // An interrupted run (a halt) is deleted whatever the cleanup setting: its pod must stop now.
            if (settings.cleanup() || interrupted) {
                boolean flag = Thread.interrupted();
                delete(run);
                if (flag) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The client wraps an interrupt while it waits for the API server; the caller expects the interrupt itself. */
    private static InterruptedException halted(KubernetesClientException e) {
        InterruptedException halted = new InterruptedException("interrupted while waiting for the API server");
        halted.initCause(e);
        return halted;
    }

    private static String mountKey(int i) {
        return "mount-" + i + ".tar.gz";
    }

    /** Polls the Job and its pod until the run has an answer; the pod status is the kubelet's word. */
    private RawRun await(String run, RunRequest request, long start) throws InterruptedException {
        long deadline = start + request.limits().wallTimeout().plus(settings.startTimeout()).toNanos();
        while (true) {
            Job job = client.batch().v1().jobs().inNamespace(settings.namespace()).withName(run).get();
            if (job == null) {
                return RawRun.refused("infrastructure: the experiment's Job " + run + " disappeared while it ran");
            }
            Pod pod = client.pods().inNamespace(settings.namespace()).withLabel(RUN_LABEL, run).list().getItems()
                    .stream().findFirst().orElse(null);
            Optional<RawRun> answer = observe(job, pod, request, start);
            if (answer.isPresent()) {
                return answer.get();
            }
            if (System.nanoTime() - deadline > 0) {
                LOG.warnf("Job %s had no answer %s after its wall timeout; stopping it", run, settings.startTimeout());
                return finished(pod, request, start, 137, true, null);
            }
            TimeUnit.MILLISECONDS.sleep(settings.pollInterval().toMillis());
        }
    }

    private Optional<RawRun> observe(Job job, Pod pod, RunRequest request, long start) {
        Optional<JobCondition> failed = condition(job, "Failed");
        ContainerStatus experiment = pod == null ? null : status(pod, EXPERIMENT);
        ContainerStateTerminated ended = terminated(experiment);
        if (pod != null && pod.getStatus() != null && "Evicted".equals(pod.getStatus().getReason())) {
            String message = String.valueOf(pod.getStatus().getMessage());
            if (message.toLowerCase(java.util.Locale.ROOT).contains("ephemeral")
                    || message.contains("EmptyDir")) {
                return Optional.of(finished(pod, request, start, 137, false, ExceededLimit.DISK));
            }
            return Optional.of(RawRun.refused("infrastructure: the cluster evicted the experiment's pod "
                    + pod.getMetadata().getName() + " (" + message + "); not the experiment's fault, run it again"));
        }
        if (pod != null) {
            for (ContainerStatus s : allStatuses(pod)) {
                if (s.getState() != null && s.getState().getWaiting() != null
                        && STUCK.contains(s.getState().getWaiting().getReason())) {
                    return Optional.of(RawRun.refused("infrastructure: the experiment's pod cannot start container "
                            + s.getName() + ": " + s.getState().getWaiting().getReason() + " ("
                            + s.getState().getWaiting().getMessage() + "); check seedloop.implementer.kubernetes-job"
                            + ".image and .tools-image"));
                }
            }
            ContainerStateTerminated unpacked = terminated(status(pod, UNPACK));
            if (unpacked != null && unpacked.getExitCode() != 0) {
                return Optional.of(RawRun.refused("infrastructure: unpacking the workspace in the pod failed with"
                        + " exit code " + unpacked.getExitCode() + " (" + unpacked.getReason() + ")"));
            }
        }
        if (failed.isPresent() && "DeadlineExceeded".equals(failed.get().getReason())) {
            return Optional.of(finished(pod, request, start, ended == null ? 137 : ended.getExitCode(), true, null));
        }
        if (ended != null && "OOMKilled".equals(ended.getReason())) {
            return Optional.of(finished(pod, request, start, ended.getExitCode(), false, ExceededLimit.MEMORY));
        }
        if (ended != null && ended.getExitCode() != 0) {
            return Optional.of(finished(pod, request, start, ended.getExitCode(), false, null));
        }
        if (ended != null) {
            ContainerStateTerminated reported = terminated(status(pod, REPORT));
            if (reported != null) {
                if (reported.getExitCode() != 0) {
                    return Optional.of(RawRun.refused("infrastructure: the report container could not pack the"
                            + " workspace after the run (exit code " + reported.getExitCode() + ")"));
                }
                Optional<String> problem = bringBack(pod, request.workspace());
                if (problem.isPresent()) {
                    return Optional.of(RawRun.refused(problem.get()));
                }
                return Optional.of(finished(pod, request, start, 0, false, null));
            }
        }
        if (failed.isPresent()) {
            return Optional.of(RawRun.refused("infrastructure: the experiment's Job failed before its command ended ("
                    + failed.get().getReason() + ": " + failed.get().getMessage() + ")"));
        }
        return Optional.empty();
    }

    /** The run's RawRun from the experiment container's log and status. */
    private RawRun finished(Pod pod, RunRequest request, long start, int exitCode, boolean timedOut,
            ExceededLimit exceeded) {
        TailBuffer stdout = new TailBuffer(CommandWatchdog.STDOUT_TAIL_BYTES);
        TailBuffer log = new TailBuffer(CommandWatchdog.LOG_TAIL_BYTES);
        boolean flooded = false;
        long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (pod != null) {
            flooded = collectLog(pod, request.limits(), stdout, log);
            ContainerStateTerminated ended = terminated(status(pod, EXPERIMENT));
            if (ended != null && ended.getStartedAt() != null && ended.getFinishedAt() != null) {
                wall = Duration.between(Instant.parse(ended.getStartedAt()), Instant.parse(ended.getFinishedAt()))
                        .toMillis();
            }
        }
        return new RawRun(exitCode, timedOut, flooded && !timedOut, stdout.toString(), log.toString(), wall, 0, 0,
                null, exceeded);
    }

    /**
     * Reads the experiment container's log (stdout and stderr as the kubelet interleaved them: the log API gives one
     * stream) into the tails the local executors keep, up to the run's output cap.
     *
     * @return whether the log was longer than {@code maxOutputBytes}
     */
    private boolean collectLog(Pod pod, RunLimits limits, TailBuffer stdout, TailBuffer log) {
        long total = 0;
        try (InputStream in = client.pods().inNamespace(settings.namespace()).withName(pod.getMetadata().getName())
                .inContainer(EXPERIMENT).getLogInputStream()) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                int keep = (int) Math.max(0, Math.min(n, limits.maxOutputBytes() - total));
                stdout.append(buf, 0, keep);
                log.append(buf, 0, keep);
                total += n;
            }
        } catch (IOException | KubernetesClientException e) {
            byte[] note = ("[seedloop: the experiment's log could not be read: " + e.getMessage() + "]\n")
                    .getBytes(StandardCharsets.UTF_8);
            log.append(note, 0, note.length);
        }
        return total > limits.maxOutputBytes();
    }

    /** Replaces the local workspace by what the report container packed; a problem is the infrastructure's. */
    private Optional<String> bringBack(Pod pod, Path workspace) {
        String report;
        try {
            report = client.pods().inNamespace(settings.namespace()).withName(pod.getMetadata().getName())
                    .inContainer(REPORT).limitBytes(reportLogBytes(settings.maxWorkspaceBytes())).getLog();
        } catch (KubernetesClientException e) {
            return Optional.of("infrastructure: cannot read the workspace back from the pod: " + e.getMessage());
        }
        int begin = report.indexOf(BEGIN + "\n");
        int end = report.indexOf("\n" + END, Math.max(begin, 0));
        if (begin < 0 || end < 0) {
            return Optional.of("the workspace after the run packs to more than seedloop.implementer.kubernetes-job"
                    + ".max-workspace-bytes (" + settings.maxWorkspaceBytes() + " bytes), the most a Job hands back,"
                    + " or the report was cut off");
        }
        try {
            byte[] archive = Base64.getMimeDecoder().decode(report.substring(begin + BEGIN.length() + 1, end));
            WorkspaceArchive.replaceContent(workspace, archive, settings.maxWorkspaceBytes());
            return Optional.empty();
        } catch (IllegalArgumentException | IOException e) {
            return Optional.of("infrastructure: the workspace the pod reported cannot be unpacked: " + e.getMessage());
        }
    }

    /** The most of the report's log read: a workspace of {@code maxWorkspaceBytes} in base64 lines, and the markers. */
    static int reportLogBytes(long maxWorkspaceBytes) {
        return (int) Math.min(Integer.MAX_VALUE, (maxWorkspaceBytes + 2) / 3 * 4 * 77 / 76 + 4096);
    }

    /**
     * Deletes the run's Job (its pod with it) and ConfigMap, trying again after a lost connection: a Job left behind
     * would keep running. What still fails is left to the Job's {@code ttlSecondsAfterFinished}.
     */
    private void delete(String run) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.batch().v1().jobs().inNamespace(settings.namespace()).withName(run)
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                client.configMaps().inNamespace(settings.namespace()).withName(run).delete();
                return;
            } catch (KubernetesClientException e) {
                if (attempt == DELETE_ATTEMPTS) {
                    LOG.warnf("could not delete the Job or ConfigMap %s: %s", run, e.getMessage());
                    return;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    ConfigMap configMap(String run, Map<String, String> delivery) {
        return new ConfigMapBuilder().withNewMetadata().withName(run).withLabels(labels(run)).endMetadata()
                .withBinaryData(delivery).withImmutable(true).build();
    }

    /** The Job of one run: see the class comment for its layout. */
    Job job(String run, RunRequest request) {
        RunLimits limits = request.limits();
        String ws = request.workspace().toString();
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("delivery").withNewConfigMap().withName(run).withDefaultMode(0444)
                .endConfigMap().build());
        volumes.add(emptyDir("workspace", limits.diskBytes()));
        volumes.add(emptyDir("tmp", limits.diskBytes()));
        volumes.add(emptyDir("report", 2 * settings.maxWorkspaceBytes()));
        StringBuilder unpack = new StringBuilder("set -e; tar -xzf " + DELIVERY_DIR + "/" + WORKSPACE_KEY
                + " -C \"$1\"");
        List<VolumeMount> unpackMounts = new ArrayList<>(List.of(mount("delivery", DELIVERY_DIR, true, null),
                mount("workspace", ws, false, null)));
        List<VolumeMount> experimentMounts = new ArrayList<>(List.of(mount("workspace", ws, false, null),
                mount("tmp", "/tmp", false, null)));
        for (String rel : request.protectedPaths()) {
            Path p = request.workspace().resolve(rel).normalize();
            // As under bubblewrap: what exists is mounted read-only over the writable workspace (same volume).
            if (p.startsWith(request.workspace()) && !p.equals(request.workspace())
                    && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                String sub = request.workspace().relativize(p).toString();
                experimentMounts.add(mount("workspace", p.toString(), true, sub));
            }
        }
        for (int i = 0; i < request.mounts().size(); i++) {
            ReadOnlyMount m = request.mounts().get(i);
            volumes.add(emptyDir("mount-" + i, limits.diskBytes()));
            unpack.append("; tar -xzf " + DELIVERY_DIR + "/" + mountKey(i) + " -C " + MOUNTS_DIR + i);
            unpackMounts.add(mount("mount-" + i, MOUNTS_DIR + i, false, null));
            experimentMounts.add(mount("mount-" + i, m.target(), true, null));
        }
        Map<String, Quantity> resources = new TreeMap<>(Map.of(
                "cpu", new Quantity(settings.cpu()),
                "memory", new Quantity(limits.memoryMiB() + "Mi"),
                // The workspace and /tmp emptyDirs and the log: what the pod may hold at most.
                "ephemeral-storage", new Quantity(Long.toString(2 * limits.diskBytes() + limits.maxOutputBytes()))));
        List<EnvVar> env = new ArrayList<>();
        new TreeMap<>(RunEnvironment.sandboxed(request)).forEach((k, v) -> env.add(new EnvVar(k, v, null)));
        Container unpacker = tools(UNPACK, unpack.toString(), ws, unpackMounts, resources);
        Container experiment = new ContainerBuilder().withName(EXPERIMENT).withImage(settings.image())
                .withCommand(request.command()).withWorkingDir(ws).withEnv(env).withVolumeMounts(experimentMounts)
                .withNewResources().withLimits(resources).withRequests(resources).endResources()
                .withSecurityContext(containerSecurity()).build();
        Container report = tools(REPORT, "set -e; tar -czf " + REPORT_DIR + "/" + WORKSPACE_KEY + " -C \"$1\" .;"
                + " echo " + BEGIN + "; base64 " + REPORT_DIR + "/" + WORKSPACE_KEY + "; echo " + END, ws,
                List.of(mount("workspace", ws, true, null), mount("report", REPORT_DIR, false, null)), resources);
        JobBuilder job = new JobBuilder().withNewMetadata().withName(run).withLabels(labels(run)).endMetadata()
                .withNewSpec().withBackoffLimit(0)
                .withTtlSecondsAfterFinished(settings.cleanup() ? TTL_AFTER_FINISHED_SECONDS : null)
                .withActiveDeadlineSeconds(Math.max(1, (limits.wallTimeout().toMillis() + 999) / 1000))
                .withNewTemplate().withNewMetadata().withLabels(labels(run)).endMetadata()
                .withNewSpec().withRestartPolicy("Never").withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withServiceAccountName(settings.serviceAccount().orElse(null))
                .withSecurityContext(new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(UID)
                        .withRunAsGroup(UID).withFsGroup(UID).withNewSeccompProfile().withType("RuntimeDefault")
                        .endSeccompProfile().build())
                .withVolumes(volumes).withInitContainers(unpacker, experiment).withContainers(report)
                .endSpec().endTemplate().endSpec();
        return job.build();
    }

    private Container tools(String name, String script, String ws, List<VolumeMount> mounts,
            Map<String, Quantity> resources) {
        return new ContainerBuilder().withName(name).withImage(settings.toolsImage())
                .withCommand("sh", "-c", script, name, ws).withVolumeMounts(mounts)
                .withResources(new ResourceRequirementsBuilder().withLimits(resources).withRequests(resources).build())
                .withSecurityContext(containerSecurity()).build();
    }

    private static SecurityContext containerSecurity() {
        return new SecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(UID).withRunAsGroup(UID)
                .withAllowPrivilegeEscalation(false).withPrivileged(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
    }

    private static Volume emptyDir(String name, long bytes) {
        return new VolumeBuilder().withName(name).withNewEmptyDir().withSizeLimit(new Quantity(Long.toString(bytes)))
                .endEmptyDir().build();
    }

    private static VolumeMount mount(String volume, String path, boolean readOnly, String subPath) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(readOnly)
                .withSubPath(subPath).build();
    }

    private static Map<String, String> labels(String run) {
        Map<String, String> labels = new TreeMap<>(LABELS);
        labels.put(RUN_LABEL, run);
        return labels;
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    private static List<ContainerStatus> allStatuses(Pod pod) {
        List<ContainerStatus> all = new ArrayList<>();
        if (pod.getStatus() != null) {
            if (pod.getStatus().getInitContainerStatuses() != null) {
                all.addAll(pod.getStatus().getInitContainerStatuses());
            }
            if (pod.getStatus().getContainerStatuses() != null) {
                all.addAll(pod.getStatus().getContainerStatuses());
            }
        }
        return all;
    }

    private static ContainerStatus status(Pod pod, String container) {
        return allStatuses(pod).stream().filter(s -> container.equals(s.getName())).findFirst().orElse(null);
    }

    private static ContainerStateTerminated terminated(ContainerStatus status) {
        return status == null || status.getState() == null ? null : status.getState().getTerminated();
    }
}
