package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

/**
 * The fabric8 mock API server (CRUD for objects, expectations for pod logs, which CRUD mode does not serve) and, since
 * nothing runs pods there, the kubelet and Job controller played by hand: find the Job the executor created, then
 * write the pod and Job status (and the logs) a real cluster would.
 */
final class FakeKubelet implements AutoCloseable {

    static final String NAMESPACE = "seedloop-experiments";

    private final KubernetesMockServer server;
    final KubernetesClient client;
    private final Set<String> seen = new HashSet<>();

    FakeKubelet() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        client = server.createClient();
    }

    /** The next Job the executor created, within 10 s. */
    Job awaitJob() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<Job> jobs;
            try {
                jobs = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // The mock server at times closes a pooled connection under a poll (HttpClosedException, once in a
                // CI run); a kubelet polls again, and so does this one.
                if (!(e.getCause() instanceof io.vertx.core.http.HttpClosedException)) {
                    throw e;
                }
                jobs = List.of();
            }
            for (Job job : jobs) {
                if (seen.add(job.getMetadata().getName())) {
                    return job;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the executor created no Job within 10 s");
    }

    ConfigMap configMap(Job job) {
        String name = job.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null).findFirst().orElseThrow().getConfigMap().getName();
        return client.configMaps().inNamespace(NAMESPACE).withName(name).get();
    }

    /** Unpacks what the Job's ConfigMap delivers under {@code key} into {@code dir}, as the unpack container would. */
    Path delivered(Job job, String key, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        byte[] archive = Base64.getDecoder().decode(configMap(job).getBinaryData().get(key));
        Process tar = new ProcessBuilder("tar", "-xzf", "-", "-C", dir.toString()).redirectErrorStream(true).start();
        tar.getOutputStream().write(archive);
        tar.getOutputStream().close();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as("tar: %s", out).isZero();
        return dir;
    }

    /**
     * Runs the next Job as a node would, minus the isolation: the delivered workspace unpacked into a directory of
     * its own, the experiment container's command run there with the container's environment, then the ending the
     * pod would report (the workspace packed back when it exited 0).
     *
     * @return the command's exit code
     */
    int runNext(Path nodeDir) throws IOException, InterruptedException {
        Job job = awaitJob();
        Path pod = delivered(job, KubernetesJobExecutor.WORKSPACE_KEY, Files.createTempDirectory(nodeDir, "pod-"));
        Container experiment = container(job, "experiment");
        ProcessBuilder command = new ProcessBuilder(experiment.getCommand()).directory(pod.toFile())
                .redirectErrorStream(true);
        command.environment().clear();
        experiment.getEnv().forEach(e -> command.environment().put(e.getName(), e.getValue()));
        command.environment().put("HOME", pod.toString());
        Process process = command.start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit == 0) {
            succeed(job, log, pod);
        } else {
            experimentEnded(job, exit, "Error", log);
        }
        return exit;
    }

    static Container container(Job job, String name) {
        List<Container> all = new ArrayList<>(job.getSpec().getTemplate().getSpec().getInitContainers());
        all.addAll(job.getSpec().getTemplate().getSpec().getContainers());
        return all.stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    /** The experiment ran to exit 0 and the report container packed {@code workspaceAfter} (with GNU tar). */
    void succeed(Job job, String experimentLog, Path workspaceAfter) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("sh", "-c", "tar -czf - -C \"$1\" . | base64", "report",
                workspaceAfter.toString()).start();
        String encoded = new String(tar.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(tar.waitFor()).isZero();
        // Written before the pod it follows from: the executor answers from the pod and deletes the Job at once, and a
        // status written after that would put the Job back into the mock server's store.
        jobCondition(job, "Complete", null);
        logs(job, experimentLog, KubernetesJobExecutor.BEGIN + "\n" + encoded + KubernetesJobExecutor.END + "\n");
        pod(job, "Succeeded", null, null, List.of(terminated("unpack", 0, "Completed"),
                terminated("experiment", 0, "Completed")), List.of(terminated("report", 0, "Completed")));
    }

    /** The experiment container ended with {@code exitCode} ({@code reason} e.g. Error, OOMKilled); the pod failed. */
    void experimentEnded(Job job, int exitCode, String reason, String experimentLog) {
        logs(job, experimentLog, "");
        pod(job, "Failed", null, null, List.of(terminated("unpack", 0, "Completed"),
                terminated("experiment", exitCode, reason)), List.of(waiting("report", "PodInitializing")));
        // The Job controller's Failed/BackoffLimitExceeded follows; the executor has its answer from the pod already.
    }

    /** The Job passed its activeDeadlineSeconds while the experiment still ran. */
    void deadlineExceeded(Job job, String experimentLog) {
        logs(job, experimentLog, "");
        pod(job, "Failed", "DeadlineExceeded", "Pod was active on the node longer than the specified deadline",
                List.of(terminated("unpack", 0, "Completed"), running("experiment")),
                List.of(waiting("report", "PodInitializing")));
        jobCondition(job, "Failed", "DeadlineExceeded");
    }

    /** The experiment container cannot start (e.g. ImagePullBackOff); the pod stays Pending. */
    void experimentWaiting(Job job, String reason, String message) {
        pod(job, "Pending", null, null, List.of(terminated("unpack", 0, "Completed"),
                new ContainerStatusBuilder().withName("experiment").withNewState().withNewWaiting().withReason(reason)
                        .withMessage(message).endWaiting().endState().build()),
                List.of(waiting("report", "PodInitializing")));
    }

    /** The kubelet evicted the pod ({@code message} as it words it). */
    void evicted(Job job, String message, String experimentLog) {
        logs(job, experimentLog, "");
        pod(job, "Failed", "Evicted", message, List.of(terminated("unpack", 0, "Completed"),
                terminated("experiment", 137, "Error")), List.of(waiting("report", "PodInitializing")));
    }

    boolean exists(Job job) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(job.getMetadata().getName()).get() != null;
    }

    boolean configMapExists(Job job) {
        return client.configMaps().inNamespace(NAMESPACE).withName(job.getMetadata().getName()).get() != null;
    }

    private static String podName(Job job) {
        return job.getMetadata().getName() + "-x7k2p";
    }

    private Pod pod(Job job, String phase, String reason, String message, List<ContainerStatus> init,
            List<ContainerStatus> main) {
        Pod pod = new PodBuilder().withNewMetadata().withName(podName(job))
                .withNamespace(NAMESPACE).withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .endMetadata().withSpec(job.getSpec().getTemplate().getSpec()).build();
        Pod created = client.pods().inNamespace(NAMESPACE).resource(pod).create();
        created.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(phase).withReason(reason)
                .withMessage(message).withInitContainerStatuses(init).withContainerStatuses(main).build());
        return client.pods().inNamespace(NAMESPACE).resource(created).updateStatus();
    }

    /** Served before the pod shows its ending, as a kubelet has the log by then. */
    private void logs(Job job, String experiment, String report) {
        String base = "/api/v1/namespaces/" + NAMESPACE + "/pods/" + podName(job) + "/log?pretty=false";
        server.expect().get().withPath(base + "&container=experiment").andReturn(200, experiment).always();
        server.expect().get().withPath(base + "&container=report&limitBytes=" + reportLimit).andReturn(200, report)
                .always();
    }

    /** The limitBytes the executor asks the report's log with; set by the test from its settings. */
    long reportLimit;

    private void jobCondition(Job job, String type, String reason) {
        Job current = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(job.getMetadata().getName()).get();
        Job updated = new JobBuilder(current).withNewStatus().addNewCondition().withType(type).withStatus("True")
                .withReason(reason).endCondition().endStatus().build();
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(updated).updateStatus();
    }

    private static ContainerStatus terminated(String name, int exitCode, String reason) {
        Instant end = Instant.parse("2026-12-03T16:00:02Z");
        return new ContainerStatusBuilder().withName(name).withNewState().withNewTerminated().withExitCode(exitCode)
                .withReason(reason).withStartedAt("2026-12-03T16:00:00Z").withFinishedAt(end.toString())
                .endTerminated().endState().build();
    }

    private static ContainerStatus running(String name) {
        return new ContainerStatusBuilder().withName(name).withNewState().withNewRunning()
                .withStartedAt("2026-12-03T16:00:00Z").endRunning().endState().build();
    }

    private static ContainerStatus waiting(String name, String reason) {
        return new ContainerStatusBuilder().withName(name).withNewState().withNewWaiting().withReason(reason)
                .endWaiting().endState().build();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
