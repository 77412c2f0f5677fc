package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.events.FailureReason;
import dev.seedloop.implementer.domain.ExceededLimit;
import dev.seedloop.implementer.domain.Outcome;
import dev.seedloop.implementer.domain.OutcomeClassifier;
import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.ReadOnlyMount;
import dev.seedloop.implementer.domain.RepeatRun;
import dev.seedloop.implementer.domain.RunLimits;
import dev.seedloop.implementer.domain.RunRequest;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * The Job executor against the fabric8 mock API server in CRUD mode, the test playing the kubelet ({@link FakeKubelet}):
 * the Job and ConfigMap it creates (limits, deadline, security, labels, the workspace delivered), the RawRun it makes
 * of each ending a cluster reports and the outcome the classifier makes of that, the same as for a local run; and the
 * Job and ConfigMap gone afterwards.
 */
class KubernetesJobExecutorTest {

    private static final RunLimits LIMITS = RunLimits.defaults().withWallTimeout(Duration.ofMillis(2500))
            .withMemoryMiB(512).withMaxOutputBytes(1024 * 1024).withDiskBytes(64L << 20);
    private static final KubernetesJobExecutor.Settings SETTINGS = new KubernetesJobExecutor.Settings(
            FakeKubelet.NAMESPACE, "registry.example/experiments:1", "registry.example/tools:1",
            Optional.of("seedloop-experiment"), "500m", Duration.ofMillis(20), Duration.ofSeconds(20), true, 64 * 1024);

    private static FakeKubelet kubelet;
    private static KubernetesJobExecutor executor;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() {
        kubelet = new FakeKubelet();
        kubelet.reportLimit = KubernetesJobExecutor.reportLogBytes(SETTINGS.maxWorkspaceBytes());
        executor = new KubernetesJobExecutor(kubelet.client, SETTINGS);
    }

    @AfterAll
    static void stopServer() {
        kubelet.close();
    }

    private Path workspace() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("experiments/exp-1"));
        Files.writeString(ws.resolve("train.sh"), "echo training\n");
        Files.createDirectories(ws.resolve("tests"));
        Files.writeString(ws.resolve("tests/test_model.py"), "assert True\n");
        Files.writeString(ws.resolve("params.json"), "{\"lr\": 0.5}");
        return ws;
    }

    private static RunRequest request(Path ws, List<ReadOnlyMount> mounts) {
        return new RunRequest(ws, List.of("sh", "train.sh"), Map.of("SEEDLOOP_PARAM_LR", "0.5", "SEEDLOOP_SEED", "7"),
                LIMITS, List.of("tests", "missing.txt"), null, mounts);
    }

    private static CompletableFuture<RawRun> start(RunRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return executor.run(request);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Outcome classify(RawRun run, Path ws) throws Exception {
        return OutcomeClassifier.classify(null, List.of(new RepeatRun(7, run,
                MetricsReader.read(run.stdoutTail(), MetricsReader.metricsFile(ws), "loss"), List.of())), 1);
    }

    @Test
    void aSucceededJobHadTheLimitsAndWorkspaceAndBringsBackLogsMetricsAndFiles() throws Exception {
        Path ws = workspace();
        CompletableFuture<RawRun> running = start(request(ws, List.of()));
        Job job = kubelet.awaitJob();

        Map<String, String> labels = job.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(labels).containsEntry("app.kubernetes.io/component", "experiment")
                .containsEntry("app.kubernetes.io/part-of", "seedloop");
        assertThat(job.getMetadata().getLabels()).containsAllEntriesOf(labels);
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3L);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(KubernetesJobExecutor.TTL_AFTER_FINISHED_SECONDS);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getServiceAccountName()).isEqualTo("seedloop-experiment");
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getInitContainers()).extracting(Container::getName).containsExactly("unpack", "experiment");
        assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("report");
        for (Container c : List.of(FakeKubelet.container(job, "unpack"), FakeKubelet.container(job, "experiment"),
                FakeKubelet.container(job, "report"))) {
            SecurityContext sc = c.getSecurityContext();
            assertThat(sc.getRunAsNonRoot()).as(c.getName()).isTrue();
            assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(sc.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(sc.getSeccompProfile().getType()).as(c.getName()).isEqualTo("RuntimeDefault");
        }
        Container experiment = FakeKubelet.container(job, "experiment");
        assertThat(experiment.getImage()).isEqualTo("registry.example/experiments:1");
        assertThat(FakeKubelet.container(job, "report").getImage()).isEqualTo("registry.example/tools:1");
        assertThat(experiment.getCommand()).containsExactly("sh", "train.sh");
        assertThat(experiment.getWorkingDir()).isEqualTo(ws.toString());
        assertThat(experiment.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("SEEDLOOP_PARAM_LR=0.5", "SEEDLOOP_SEED=7", "HOME=" + ws, "LANG=C.UTF-8");
        Map<String, Quantity> limits = experiment.getResources().getLimits();
        assertThat(limits.get("memory")).isEqualTo(new Quantity("512Mi"));
        assertThat(limits.get("cpu")).isEqualTo(new Quantity("500m"));
        assertThat(Quantity.getAmountInBytes(limits.get("ephemeral-storage")).longValueExact())
                .isEqualTo(2 * (64L << 20) + 1024 * 1024);
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("workspace")).singleElement()
                .satisfies(v -> assertThat(Quantity.getAmountInBytes(v.getEmptyDir().getSizeLimit()).longValueExact())
                        .isEqualTo(64L << 20));
        assertThat(experiment.getVolumeMounts()).extracting(VolumeMount::getMountPath, VolumeMount::getReadOnly,
                VolumeMount::getSubPath).contains(
                        org.assertj.core.groups.Tuple.tuple(ws.toString(), false, null),
                        org.assertj.core.groups.Tuple.tuple(ws + "/tests", true, "tests"),
                        org.assertj.core.groups.Tuple.tuple("/tmp", false, null))
                .noneMatch(t -> t.toList().contains(ws + "/missing.txt"));
        assertThat(FakeKubelet.container(job, "report").getVolumeMounts()).filteredOn(m -> m.getName()
                .equals("workspace")).singleElement().satisfies(m -> assertThat(m.getReadOnly()).isTrue());
        assertThat(kubelet.configMap(job).getMetadata().getLabels()).containsAllEntriesOf(labels);
        Path inPod = kubelet.delivered(job, KubernetesJobExecutor.WORKSPACE_KEY, tmp.resolve("pod"));
        assertThat(inPod.resolve("train.sh")).hasContent("echo training");
        assertThat(inPod.resolve("tests/test_model.py")).hasContent("assert True");
        assertThat(inPod.resolve("params.json")).hasContent("{\"lr\": 0.5}");

        Files.writeString(inPod.resolve("model.bin"), "weights");
        Files.writeString(inPod.resolve("metrics.json"), "{\"loss\": 0.25}");
        kubelet.succeed(job, "training\nepoch 1 done\n", inPod);

        RawRun run = running.get(10, TimeUnit.SECONDS);
        assertThat(run.exitCode()).isZero();
        assertThat(run.timedOut()).isFalse();
        assertThat(run.wasRefused()).isFalse();
        assertThat(run.logTail()).isEqualTo("training\nepoch 1 done\n");
        assertThat(run.wallMillis()).isEqualTo(2000);
        assertThat(ws.resolve("model.bin")).hasContent("weights");
        assertThat(ws.resolve("tests/test_model.py")).hasContent("assert True");
        assertThat(classify(run, ws)).isInstanceOfSatisfying(Outcome.Completed.class, completed ->
                assertThat(completed.repeats().get(0).metrics()).containsEntry("loss", 0.25));
        assertThat(kubelet.exists(job)).as("the Job is deleted").isFalse();
        assertThat(kubelet.configMapExists(job)).as("the ConfigMap is deleted").isFalse();
    }

    @Test
    void aFailingCommandIsCrashedWithItsExitCodeAndLog() throws Exception {
        Path ws = workspace();
        CompletableFuture<RawRun> running = start(request(ws, List.of()));
        Job job = kubelet.awaitJob();
        kubelet.experimentEnded(job, 3, "Error", "Traceback: boom\n");

        RawRun run = running.get(10, TimeUnit.SECONDS);
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(classify(run, ws)).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.CRASHED);
            assertThat(failed.detail()).isEqualTo("exit code 3");
            assertThat(failed.logTail()).isEqualTo("Traceback: boom\n");
        });
        assertThat(kubelet.exists(job)).isFalse();
        assertThat(kubelet.configMapExists(job)).isFalse();
    }

    @Test
    void aLogBeyondTheOutputCapIsAnOutputFloodWithTheSameTailsAsLocally() throws Exception {
        Path ws = workspace();
        CompletableFuture<RawRun> running = start(request(ws, List.of()));
        Job job = kubelet.awaitJob();
        String flood = "y\n".repeat(600 * 1024);
        kubelet.succeed(job, flood, kubelet.delivered(job, KubernetesJobExecutor.WORKSPACE_KEY, tmp.resolve("pod")));

        RawRun run = running.get(10, TimeUnit.SECONDS);
        assertThat(run.outputLimitHit()).isTrue();
        assertThat(run.stdoutTail()).hasSize(CommandWatchdog.STDOUT_TAIL_BYTES);
        assertThat(run.logTail()).hasSize(CommandWatchdog.LOG_TAIL_BYTES);
        assertThat(classify(run, ws)).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.CRASHED);
            assertThat(failed.detail()).isEqualTo("output limit exceeded");
        });
    }

    @Test
    void anImageThatCannotBePulledIsRefusedAsTheInfrastructures() throws Exception {
        Path ws = workspace();
        CompletableFuture<RawRun> running = start(request(ws, List.of()));
        Job job = kubelet.awaitJob();
        kubelet.experimentWaiting(job, "ImagePullBackOff", "Back-off pulling image \"registry.example/experiments:1\"");

        RawRun run = running.get(10, TimeUnit.SECONDS);
        assertThat(run.wasRefused()).isTrue();
        assertThat(run.refusal()).startsWith("infrastructure: the experiment's pod cannot start container experiment:"
                + " ImagePullBackOff").contains("seedloop.implementer.kubernetes-job.image");
        assertThat(kubelet.exists(job)).isFalse();
    }

    @Test
    void aJobPastItsDeadlineIsATimeout() throws Exception {
        Path ws = workspace();
        CompletableFuture<RawRun> running = start(request(ws, List.of()));
        Job job = kubelet.awaitJob();
        kubelet.deadlineExceeded(job, "still training\n");

        RawRun run = running.get(10, TimeUnit.SECONDS);
        assertThat(run.timedOut()).isTrue();
        assertThat(classify(run, ws)).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(failed.detail()).startsWith("timed out after ");
            assertThat(failed.logTail()).isEqualTo("still training\n");
        });
        assertThat(kubelet.exists(job)).isFalse();
    }

    @Test
    void anOomKilledExperimentExceededItsMemoryLimitAsUnderTheLocalControlGroup() throws Exception {
        Path ws = workspace();
        CompletableFuture<RawRun> running = start(request(ws, List.of()));
        Job job = kubelet.awaitJob();
        kubelet.experimentEnded(job, 137, "OOMKilled", "allocating\n");

        RawRun run = running.get(10, TimeUnit.SECONDS);
        assertThat(run.exceeded()).isEqualTo(ExceededLimit.MEMORY);
        assertThat(classify(run, ws)).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.CRASHED);
            assertThat(failed.detail()).isEqualTo(ExceededLimit.MEMORY.detail());
        });
    }

    @Test
    void anEvictedPodIsTheInfrastructuresFailureNotTheExperiments() throws Exception {
        Path ws = workspace();
        CompletableFuture<RawRun> running = start(request(ws, List.of()));
        Job job = kubelet.awaitJob();
        kubelet.evicted(job, "The node was low on resource: memory.", "");

        RawRun run = running.get(10, TimeUnit.SECONDS);
        assertThat(classify(run, ws)).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.SANDBOX_REFUSED);
            assertThat(failed.detail()).startsWith("infrastructure: the cluster evicted the experiment's pod")
                    .contains("The node was low on resource: memory.", "not the experiment's fault");
        });
        assertThat(kubelet.exists(job)).isFalse();
        assertThat(kubelet.configMapExists(job)).isFalse();
    }

    @Test
    void anEvictionForTheWorkspacesStorageIsTheExperimentsDiskQuota() throws Exception {
        Path ws = workspace();
        CompletableFuture<RawRun> running = start(request(ws, List.of()));
        Job job = kubelet.awaitJob();
        kubelet.evicted(job, "Usage of EmptyDir volume \"workspace\" exceeds the limit \"64Mi\". ", "writing\n");

        RawRun run = running.get(10, TimeUnit.SECONDS);
        assertThat(classify(run, ws)).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.CRASHED);
            assertThat(failed.detail()).isEqualTo(ExceededLimit.DISK.detail());
        });
    }

    @Test
    void theHeldOutDataReachesOnlyTheRunThatMountsItReadOnly() throws Exception {
        Path ws = workspace();
        Path data = Files.createDirectories(tmp.resolve("heldout-data"));
        Files.writeString(data.resolve("answer.txt"), "0.125\n");
        CompletableFuture<RawRun> running = start(request(ws, List.of(new ReadOnlyMount(data, "/heldout",
                "SEEDLOOP_HELDOUT_DATA"))));
        Job job = kubelet.awaitJob();

        Container experiment = FakeKubelet.container(job, "experiment");
        assertThat(experiment.getVolumeMounts()).filteredOn(m -> m.getMountPath().equals("/heldout")).singleElement()
                .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
        assertThat(experiment.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("SEEDLOOP_HELDOUT_DATA=/heldout");
        assertThat(FakeKubelet.container(job, "report").getVolumeMounts()).extracting(VolumeMount::getMountPath)
                .doesNotContain("/heldout");
        assertThat(kubelet.delivered(job, "mount-0.tar.gz", tmp.resolve("data-in-pod")).resolve("answer.txt"))
                .hasContent("0.125");
        kubelet.succeed(job, "{\"heldout_loss\": 0.125}\n", kubelet.delivered(job,
                KubernetesJobExecutor.WORKSPACE_KEY, tmp.resolve("ws-in-pod")));
        assertThat(running.get(10, TimeUnit.SECONDS).stdoutTail()).contains("heldout_loss");

        CompletableFuture<RawRun> plain = start(request(ws, List.of()));
        Job other = kubelet.awaitJob();
        assertThat(kubelet.configMap(other).getBinaryData()).containsOnlyKeys(KubernetesJobExecutor.WORKSPACE_KEY);
        assertThat(FakeKubelet.container(other, "experiment").getVolumeMounts()).extracting(VolumeMount::getMountPath)
                .doesNotContain("/heldout");
        kubelet.experimentEnded(other, 1, "Error", "");
        plain.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWorkspaceTooLargeForAJobIsRefusedBeforeAnythingIsCreated() throws Exception {
        Path ws = workspace();
        byte[] noise = new byte[200 * 1024];
        new java.util.Random(1).nextBytes(noise);
        Files.write(ws.resolve("data.bin"), noise);

        List<String> before = names();
        RawRun run = executor.run(request(ws, List.of()));
        assertThat(run.wasRefused()).isTrue();
        assertThat(run.refusal()).contains("seedloop.implementer.kubernetes-job.max-workspace-bytes (65536 bytes)");
        assertThat(names()).isEqualTo(before);
    }

    /** Every Job and ConfigMap in the namespace. */
    private static List<String> names() {
        List<String> names = new java.util.ArrayList<>();
        kubelet.client.batch().v1().jobs().inNamespace(FakeKubelet.NAMESPACE).list().getItems()
                .forEach(j -> names.add("job/" + j.getMetadata().getName()));
        kubelet.client.configMaps().inNamespace(FakeKubelet.NAMESPACE).list().getItems()
                .forEach(c -> names.add("configmap/" + c.getMetadata().getName()));
        return names;
    }

    @Test
    void aHaltDeletesTheRunningJob() throws Exception {
        Path ws = workspace();
        CompletableFuture<Throwable> halted = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                executor.run(request(ws, List.of()));
                halted.complete(null);
            } catch (Throwable e) {
                halted.complete(e);
            }
        });
        Job job = kubelet.awaitJob();
        worker.interrupt();
        assertThat(halted.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(kubelet.exists(job)).isFalse();
        assertThat(kubelet.configMapExists(job)).isFalse();
    }
}
