package dev.seedloop.deployment;

import static dev.seedloop.deployment.KustomizeManifests.at;
import static dev.seedloop.deployment.KustomizeManifests.list;
import static dev.seedloop.deployment.KustomizeManifests.map;
import static dev.seedloop.deployment.KustomizeManifests.maps;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code deploy/kubernetes} as {@code kubectl kustomize} renders the base and each overlay: what an operator applies
 * runs the five services as they are built (ports, health, settings, images), hardened, reachable only through the
 * gateway, with every topic the code uses declared, and the realm the tests use. Each rule is also shown failing on
 * a broken copy, so none of them passes by not looking.
 */
class KustomizeRenderTest {

    private static final String BASE = "base";
    private static final String DEV = "overlays/dev";
    private static final String PRODUCTION = "overlays/production";

    private static Path root;
    private static KustomizeServiceCode code;
    private static Object realmFile;
    private static final Map<String, KustomizeManifests> RENDERS = new TreeMap<>();

    @BeforeAll
    static void renderEveryKustomization() throws IOException {
        root = KustomizeRender.repositoryRoot();
        code = new KustomizeServiceCode(root);
        realmFile = KustomizeRender.parseFile(root.resolve("deploy/keycloak/seedloop-realm.json"));
        for (String kustomization : List.of(BASE, DEV, PRODUCTION)) {
            RENDERS.put(kustomization, KustomizeRender.render(root.resolve("deploy/kubernetes").resolve(kustomization)));
        }
    }

    static Stream<String> kustomizations() {
        return Stream.of(BASE, DEV, PRODUCTION);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyKindIsRendered(String kustomization) {
        assertThat(KustomizeChecks.missingKinds(RENDERS.get(kustomization))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyDeploymentIsProbedBoundedAndHardened(String kustomization) {
        assertThat(KustomizeChecks.deploymentProblems(RENDERS.get(kustomization), code)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyServiceGetsItsSettingsAndCredentialsFromSecrets(String kustomization) {
        assertThat(KustomizeChecks.environmentProblems(RENDERS.get(kustomization), code)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyTopicTheCodeUsesIsDeclared(String kustomization) {
        assertThat(KustomizeChecks.topicProblems(RENDERS.get(kustomization), code.topicsUsed())).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyOverlayKeepsTheRetentionOfTheLogOfRecord(String kustomization) {
        assertThat(KustomizeChecks.retentionDrift(RENDERS.get(BASE), RENDERS.get(kustomization))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyImageIsOneTheProjectBuilds(String kustomization) {
        boolean nativeImages = kustomization.equals(PRODUCTION);
        assertThat(KustomizeChecks.imageProblems(RENDERS.get(kustomization), code.projectVersion(), nativeImages)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void onlyTheGatewayIsExposed(String kustomization) {
        boolean tls = kustomization.equals(PRODUCTION);
        assertThat(KustomizeChecks.exposureProblems(RENDERS.get(kustomization), code, tls)).isEmpty();
        assertThat(KustomizeChecks.networkPolicyProblems(RENDERS.get(kustomization))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void theImplementerMayRunJobsAndNothingMore(String kustomization) {
        assertThat(KustomizeChecks.rbacProblems(RENDERS.get(kustomization))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void disruptionBudgetsAndTheAutoscalerFitTheReplicas(String kustomization) {
        assertThat(KustomizeChecks.scalingProblems(RENDERS.get(kustomization))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void theRealmImportIsTheRealmFile(String kustomization) {
        boolean production = kustomization.equals(PRODUCTION);
        assertThat(KustomizeChecks.realmProblems(RENDERS.get(kustomization), realmFile, production)).isEmpty();
    }

    @Test
    void theTopicsComeFromEveryServicesCode() {
        Map<String, Set<String>> used = code.topicsUsed();
        Set<String> users = new TreeSet<>();
        used.values().forEach(users::addAll);
        assertThat(users).containsAll(KustomizeServiceCode.SERVICES).contains("service-messaging");
        // Dead letters come from service-messaging's shared channel; the journal's sequence header is a constant of
        // Topics, but no topic.
        assertThat(used).containsKey("seedloop.dead-letters").doesNotContainKey("seedloop-sequence");
    }

    @Test
    void aTopicMissingFromTheManifestsIsFound(@TempDir Path copy) throws IOException {
        copyTree(root.resolve("deploy/kubernetes"), copy);
        Path topics = copy.resolve("base/topics.yaml");
        List<String> documents = new ArrayList<>(List.of(Files.readString(topics).split("(?m)^---\\n")));
        assertThat(documents.removeIf(document -> document.contains("topicName: seedloop.journal\n"))).isTrue();
        Files.writeString(topics, String.join("---\n", documents));

        KustomizeManifests broken = KustomizeRender.render(copy.resolve("overlays/production"));

        assertThat(KustomizeChecks.topicProblems(broken, code.topicsUsed()))
                .containsExactly("topic seedloop.journal (used by gateway, learner-service) has no KafkaTopic");
    }

    @Test
    void aKindMissingIsFound() {
        KustomizeManifests broken = copyOf(BASE);
        broken.documents().removeIf(document -> "HorizontalPodAutoscaler".equals(document.get("kind")));

        assertThat(KustomizeChecks.missingKinds(broken)).containsExactly("no HorizontalPodAutoscaler is rendered");
    }

    @Test
    void aDeploymentMissingProbesLimitsOrHardeningIsFound() {
        KustomizeManifests broken = copyOf(PRODUCTION);
        container(broken, "learner-service").remove("startupProbe");
        map(container(broken, "gateway").get("securityContext")).put("readOnlyRootFilesystem", false);
        map(container(broken, "gateway").get("securityContext")).put("allowPrivilegeEscalation", true);
        map(at(container(broken, "proposer-service"), "securityContext", "capabilities")).put("drop", List.of("NET_RAW"));
        map(at(container(broken, "evaluator-service"), "resources")).remove("limits");
        map(at(deployment(broken, "evaluator-service"), "spec", "template", "spec", "securityContext")).remove("seccompProfile");
        map(at(deployment(broken, "evaluator-service"), "spec", "template", "spec", "securityContext")).put("runAsNonRoot", false);
        map(container(broken, "evaluator-service").get("securityContext")).remove("runAsNonRoot");
        maps(container(broken, "implementer-service").get("volumeMounts")).stream()
                .filter(mount -> "data".equals(mount.get("name"))).findFirst().orElseThrow().put("mountPath", "/data");
        map(at(container(broken, "implementer-service"), "readinessProbe", "httpGet")).put("path", "/q/health");
        map(at(container(broken, "implementer-service"), "ports", "0")).put("containerPort", 8080);

        assertThat(KustomizeChecks.deploymentProblems(broken, code)).containsExactlyInAnyOrder(
                "learner-service has no startupProbe",
                "learner-service's startupProbe gives up after 30 s: too soon for a restore of a big store (at least 3600 s)",
                "gateway has a writable root filesystem (readOnlyRootFilesystem is not true)",
                "gateway allows privilege escalation (allowPrivilegeEscalation is not false)",
                "proposer-service keeps capabilities (capabilities.drop lacks ALL)",
                "evaluator-service has no cpu limits",
                "evaluator-service has no memory limits",
                "evaluator-service has seccomp profile null, not RuntimeDefault",
                "evaluator-service may run as root (runAsNonRoot is not true)",
                "implementer-service writes /var/lib/seedloop/implementer but mounts no writable emptyDir there (the root "
                        + "filesystem is read-only)",
                "implementer-service's readinessProbe asks /q/health, not /q/health/ready",
                "implementer-service's port http is 8080, the service listens on 8082",
                "implementer-service's startupProbe asks port http, health is on 8082",
                "implementer-service's readinessProbe asks port http, health is on 8082",
                "implementer-service's livenessProbe asks port http, health is on 8082");
    }

    @Test
    void aLearnerThatCouldRunTwiceIsFound() {
        KustomizeManifests broken = copyOf(BASE);
        map(deployment(broken, "learner-service").get("spec")).put("replicas", 2);
        map(deployment(broken, "learner-service").get("spec")).put("strategy", Map.of("type", "RollingUpdate"));

        assertThat(KustomizeChecks.deploymentProblems(broken, code)).containsExactly(
                "learner-service runs 2 replicas: it is one decider",
                "learner-service is rolled with strategy RollingUpdate: two learners would run at once");
    }

    @Test
    void aMissingSettingOrALiteralSecretIsFound() {
        KustomizeManifests broken = copyOf(BASE);
        Map<String, Object> common = configMapStartingWith(broken, "seedloop-common");
        map(common.get("data")).remove("KAFKA_BOOTSTRAP_SERVERS");
        map(configMapStartingWith(broken, "learner-service").get("data")).put("QUARKUS_HTTP_HOST", "0.0.0.0");
        map(configMapStartingWith(broken, "gateway").get("data"))
                .put("QUARKUS_OIDC_AUTH_SERVER_URL", "http://keycloak.elsewhere:8080/realms/other");
        List<Object> env = list(container(broken, "proposer-service").get("env"));
        env.set(1, new LinkedHashMap<>(Map.of("name", "QUARKUS_DATASOURCE_PASSWORD", "value", "seedloop_app")));
        container(broken, "proposer-service").put("env", env);
        map(configMapStartingWith(broken, "proposer-models").get("data"))
                .put("models.properties", "seedloop.models.remote.api-key=sk-123\n");

        List<String> problems = KustomizeChecks.environmentProblems(broken, code);

        assertThat(problems).contains(
                "learner-service reads kafka.bootstrap.servers but its environment sets no KAFKA_BOOTSTRAP_SERVERS",
                "learner-service sets QUARKUS_HTTP_HOST=0.0.0.0: its unauthenticated operator endpoints must stay on the "
                        + "pod's loopback",
                "gateway's QUARKUS_OIDC_AUTH_SERVER_URL names host keycloak.elsewhere, none of the rendered "
                        + "[seedloop-keycloak-service]",
                "gateway's QUARKUS_OIDC_AUTH_SERVER_URL http://keycloak.elsewhere:8080/realms/other names none of the "
                        + "imported realms [seedloop]",
                "proposer-service reads quarkus.datasource.password but QUARKUS_DATASOURCE_PASSWORD is not from a Secret",
                "proposer-service's QUARKUS_DATASOURCE_PASSWORD is a literal, not a Secret reference");
        assertThat(problems).anyMatch(p -> p.startsWith("ConfigMap proposer-models") && p.endsWith("gives a model's "
                + "api-key itself: use api-key-file on a mounted Secret"));
        assertThat(problems).filteredOn(p -> p.contains("KAFKA_BOOTSTRAP_SERVERS")).hasSize(5);
    }

    @Test
    void anImageTheProjectDoesNotBuildIsFound() {
        KustomizeManifests broken = copyOf(PRODUCTION);
        container(broken, "gateway").put("image", "busybox:latest");
        String version = code.projectVersion();

        assertThat(KustomizeChecks.imageProblems(broken, version, true))
                .containsExactly("Deployment gateway runs image busybox:latest, not seedloop/gateway:" + version + "-native");
        assertThat(KustomizeChecks.imageProblems(RENDERS.get(PRODUCTION), version, false)).hasSize(5)
                .allMatch(problem -> problem.contains(version + "-native, not seedloop/"));
        assertThat(KustomizeChecks.imageProblems(RENDERS.get(DEV), version, true)).hasSize(5);
    }

    @Test
    void anotherServiceExposedIsFound() {
        KustomizeManifests broken = copyOf(PRODUCTION);
        Map<String, Object> ingress = broken.find("Ingress", "gateway").orElseThrow();
        map(at(ingress, "spec", "rules", "0", "http", "paths", "0", "backend", "service")).put("name", "learner-service");
        map(ingress.get("spec")).remove("tls");
        Map<String, Object> learnerService = broken.find("Service", "learner-service").orElseThrow();
        map(learnerService.get("spec")).put("ports", withAdded(at(learnerService, "spec", "ports"),
                Map.of("name", "http", "port", 8084, "targetPort", "http")));
        map(learnerService.get("spec")).put("type", "LoadBalancer");

        assertThat(KustomizeChecks.exposureProblems(broken, code, true)).containsExactlyInAnyOrder(
                "Ingress gateway routes to learner-service: only the gateway is public",
                "Ingress gateway serves seedloop.example.com without TLS",
                "Service learner-service is of type LoadBalancer: only the Ingress is public",
                "Service learner-service exposes the learner's operator endpoints (http)");
    }

    @Test
    void anExperimentWithANetworkOrAServiceReachableFromOutsideIsFound() {
        KustomizeManifests broken = copyOf(BASE);
        Map<String, Object> experiments = broken.find("NetworkPolicy", "experiments-isolated").orElseThrow();
        map(experiments.get("spec")).put("egress", List.of(Map.of("to", List.of(Map.of("ipBlock", Map.of("cidr",
                "0.0.0.0/0"))))));
        broken.documents().add(new Yaml().load("""
                kind: NetworkPolicy
                metadata: {name: allow-all-egress}
                spec: {podSelector: {}, policyTypes: [Egress], egress: [{}]}
                """));
        Map<String, Object> learner = broken.find("NetworkPolicy", "learner-service").orElseThrow();
        map(learner.get("spec")).put("ingress", List.of(Map.of("from", List.of(Map.of("namespaceSelector", Map.of())))));

        assertThat(KustomizeChecks.networkPolicyProblems(broken)).containsExactlyInAnyOrder(
                "NetworkPolicy experiments-isolated allows experiment pods egress: they must have none",
                "NetworkPolicy allow-all-egress allows experiment pods egress: they must have none",
                "NetworkPolicy learner-service lets outside clients reach learner-service: only the gateway accepts "
                        + "connections");

        broken.documents().removeIf(document -> "NetworkPolicy".equals(document.get("kind"))
                && List.of("default-deny", "experiments-isolated", "gateway", "allow-all-egress")
                        .contains(KustomizeManifests.name(document)));
        assertThat(KustomizeChecks.networkPolicyProblems(broken)).contains(
                "no NetworkPolicy denies all ingress and egress to every pod by default",
                "no NetworkPolicy isolates experiment pods' ingress",
                "no NetworkPolicy isolates experiment pods' egress",
                "no NetworkPolicy lets the ingress controller reach the gateway");
    }

    @Test
    void moreRightsThanTheJobExecutorNeedsAreFound() {
        KustomizeManifests broken = copyOf(BASE);
        Map<String, Object> role = broken.find("Role", "implementer-job-executor").orElseThrow();
        List<Object> rules = new ArrayList<>(list(role.get("rules")));
        rules.removeIf(rule -> list(map(rule).get("resources")).contains("pods/log"));
        rules.add(Map.of("apiGroups", List.of(""), "resources", List.of("secrets"), "verbs", List.of("get")));
        role.put("rules", rules);
        map(at(deployment(broken, "gateway"), "spec", "template", "spec")).remove("automountServiceAccountToken");

        assertThat(KustomizeChecks.rbacProblems(broken)).containsExactlyInAnyOrder(
                "implementer-service may [get] /secrets: more than the Job executor needs",
                "implementer-service may not [get] /pods/log, which the Job executor needs",
                "gateway gets an API token it has no use for (automountServiceAccountToken)");
    }

    @Test
    void budgetsThatBlockDrainsAndAutoscalersOfOtherServicesAreFound() {
        KustomizeManifests broken = copyOf(DEV);
        map(at(broken.find("PodDisruptionBudget", "gateway").orElseThrow(), "spec")).put("minAvailable", 1);
        Map<String, Object> autoscaler = broken.find("HorizontalPodAutoscaler", "implementer-service").orElseThrow();
        map(at(autoscaler, "spec", "scaleTargetRef")).put("name", "learner-service");
        map(autoscaler.get("spec")).put("maxReplicas", 12);

        assertThat(KustomizeChecks.scalingProblems(broken)).containsExactlyInAnyOrder(
                "PodDisruptionBudget gateway keeps 1 of gateway's 1 replicas: no node could ever be drained",
                "HorizontalPodAutoscaler implementer-service scales learner-service: only the implementer scales with load",
                "HorizontalPodAutoscaler implementer-service may run 12 implementers for 6 partitions of "
                        + "seedloop.proposals: the rest would idle",
                "no HorizontalPodAutoscaler scales the implementer");
    }

    @Test
    void aRealmImportThatDriftedIsFound() {
        KustomizeManifests broken = copyOf(DEV);
        Map<String, Object> realm = map(at(broken.find("KeycloakRealmImport", "seedloop-realm").orElseThrow(), "spec",
                "realm"));
        realm.put("accessTokenLifespan", 86400);

        assertThat(KustomizeChecks.realmProblems(broken, realmFile, false)).containsExactly("KeycloakRealmImport "
                + "seedloop-realm differs from deploy/keycloak/seedloop-realm.json at realm.accessTokenLifespan (file: 900, "
                + "import: 86400): run deploy/kubernetes/sync-realm-import.sh");
        // The development realm is no production realm: users, plain HTTP, a literal client secret.
        assertThat(KustomizeChecks.realmProblems(RENDERS.get(DEV), realmFile, true)).containsExactlyInAnyOrder(
                "the production realm imports the development users (known passwords)",
                "the production realm accepts logins over plain HTTP (sslRequired none)",
                "the production realm's client seedloop-gateway has a literal secret, not a placeholder filled from a "
                        + "Secret");
    }

    @Test
    void anOverlayShorteningRetentionIsFound() {
        KustomizeManifests broken = copyOf(DEV);
        map(at(broken.find("KafkaTopic", "seedloop.journal").orElseThrow(), "spec", "config"))
                .put("retention.ms", 604800000);

        assertThat(KustomizeChecks.retentionDrift(RENDERS.get(BASE), broken))
                .containsExactly("KafkaTopic seedloop.journal has retention.ms 604800000, the base -1");
    }

    /** A deep, mutable copy of a render, for breaking. */
    private static KustomizeManifests copyOf(String kustomization) {
        Yaml yaml = new Yaml();
        KustomizeManifests copy = KustomizeRender.parse(yaml.dumpAll(RENDERS.get(kustomization).documents().iterator()));
        return new KustomizeManifests(new ArrayList<>(copy.documents()));
    }

    private static Map<String, Object> deployment(KustomizeManifests manifests, String name) {
        return manifests.find("Deployment", name).orElseThrow();
    }

    private static Map<String, Object> container(KustomizeManifests manifests, String deployment) {
        return map(at(deployment(manifests, deployment), "spec", "template", "spec", "containers", "0"));
    }

    private static Map<String, Object> configMapStartingWith(KustomizeManifests manifests, String prefix) {
        return manifests.ofKind("ConfigMap").stream()
                .filter(configMap -> KustomizeManifests.name(configMap).startsWith(prefix + "-")
                        || KustomizeManifests.name(configMap).equals(prefix))
                .findFirst().orElseThrow();
    }

    private static List<Object> withAdded(Object list, Object element) {
        List<Object> copy = new ArrayList<>(list(list));
        copy.add(element);
        return copy;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
