package dev.seedloop.deployment;

import static dev.seedloop.deployment.KustomizeManifests.at;
import static dev.seedloop.deployment.KustomizeManifests.list;
import static dev.seedloop.deployment.KustomizeManifests.map;
import static dev.seedloop.deployment.KustomizeManifests.maps;
import static dev.seedloop.deployment.KustomizeManifests.name;
import static dev.seedloop.deployment.KustomizeManifests.string;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules a rendered deployment must keep, each a function from the objects to the problems it finds (empty: none),
 * one line per problem naming the object, so that a test can show each rule failing on a broken copy.
 */
final class KustomizeChecks {

    static final Set<String> REQUIRED_KINDS = Set.of("Deployment", "Service", "Ingress", "ConfigMap", "NetworkPolicy",
            "PodDisruptionBudget", "HorizontalPodAutoscaler", "ServiceAccount", "Role", "RoleBinding", "Kafka",
            "KafkaNodePool", "KafkaTopic", "Cluster", "Keycloak", "KeycloakRealmImport");

    /** The labels the implementer's Job executor puts on experiment pods (shared names of issue #14). */
    static final Map<String, String> EXPERIMENT_LABELS =
            Map.of("app.kubernetes.io/component", "experiment", "app.kubernetes.io/part-of", "seedloop");

    /** A learner restores an empty store before it reports started (ADR 0012): at least this long to do so. */
    static final Duration LEARNER_STARTUP_BUDGET = Duration.ofHours(1);

    static final String LEARNER = "learner-service";
    static final String GATEWAY = "gateway";
    static final String IMPLEMENTER = "implementer-service";

    private static final Map<String, String> PROBE_PATHS = Map.of("startupProbe", "/q/health/started",
            "readinessProbe", "/q/health/ready", "livenessProbe", "/q/health/live");

    /** Settings a service reads that only the installation knows: property to the variable that sets it. */
    private static final List<String> INSTALLATION_SETTINGS = List.of("kafka.bootstrap.servers",
            "quarkus.datasource.jdbc.url", "quarkus.datasource.reactive.url", "quarkus.oidc.auth-server-url");

    /** Credentials a service reads: set from a Secret, never a literal. */
    private static final List<String> CREDENTIAL_SETTINGS = List.of("quarkus.datasource.username",
            "quarkus.datasource.password", "quarkus.flyway.username", "quarkus.flyway.password");

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|api[_-]?key|token).*");

    /** The implementer's Job executor (ADR 0026): what it must be allowed, and what it may be allowed at most. */
    private static final Map<String, Set<String>> EXECUTOR_NEEDS = Map.of("batch/jobs",
            Set.of("create", "get", "delete"), "/pods", Set.of("get", "list"), "/pods/log", Set.of("get"),
            "/configmaps", Set.of("create", "delete"));
    private static final Map<String, Set<String>> EXECUTOR_MAY = EXECUTOR_NEEDS;

    private KustomizeChecks() {
    }

    static List<String> missingKinds(KustomizeManifests manifests) {
        return REQUIRED_KINDS.stream().sorted()
                .filter(kind -> manifests.ofKind(kind).isEmpty())
                .map(kind -> "no " + kind + " is rendered")
                .toList();
    }

    /** Probes, resources, security contexts, ports and writable directories of every Deployment. */
    static List<String> deploymentProblems(KustomizeManifests manifests, KustomizeServiceCode code) {
        List<String> problems = new ArrayList<>();
        for (String service : KustomizeServiceCode.SERVICES) {
            if (manifests.find("Deployment", service).isEmpty()) {
                problems.add("no Deployment " + service);
            }
        }
        for (Map<String, Object> deployment : manifests.ofKind("Deployment")) {
            String name = name(deployment);
            if (!KustomizeServiceCode.SERVICES.contains(name)) {
                problems.add("Deployment " + name + " is none of the five services");
                continue;
            }
            Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
            List<Map<String, Object>> containers = maps(pod.get("containers"));
            if (containers.size() != 1) {
                problems.add(name + " has " + containers.size() + " containers, not its service's one");
                continue;
            }
            Map<String, Object> container = containers.get(0);
            Map<String, Integer> ports = new HashMap<>();
            maps(container.get("ports")).forEach(p -> ports.put(string(p.get("name")), (Integer) p.get("containerPort")));
            if (!Objects.equals(ports.get("http"), code.httpPort(name))) {
                problems.add(name + "'s port http is " + ports.get("http") + ", the service listens on " + code.httpPort(name));
            }
            PROBE_PATHS.forEach((probe, path) -> {
                Map<String, Object> httpGet = map(at(container, probe, "httpGet"));
                if (httpGet.isEmpty()) {
                    problems.add(name + " has no " + probe);
                    return;
                }
                if (!path.equals(httpGet.get("path"))) {
                    problems.add(name + "'s " + probe + " asks " + httpGet.get("path") + ", not " + path);
                }
                Object port = httpGet.get("port");
                Integer number = port instanceof Integer n ? n : ports.get(string(port));
                if (!Objects.equals(number, code.healthPort(name))) {
                    problems.add(name + "'s " + probe + " asks port " + port + ", health is on " + code.healthPort(name));
                }
            });
            for (String bound : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    if (at(container, "resources", bound, resource) == null) {
                        problems.add(name + " has no " + resource + " " + bound);
                    }
                }
            }
            problems.addAll(securityProblems(name, pod, container));
            problems.addAll(writableDirectoryProblems(manifests, name, pod, container));
        }
        manifests.find("Deployment", LEARNER).ifPresent(learner -> {
            Map<String, Object> startup = map(at(learner, "spec", "template", "spec", "containers", "0", "startupProbe"));
            long seconds = ((Number) startup.getOrDefault("periodSeconds", 10)).longValue()
                    * ((Number) startup.getOrDefault("failureThreshold", 3)).longValue();
            if (seconds < LEARNER_STARTUP_BUDGET.toSeconds()) {
                problems.add(LEARNER + "'s startupProbe gives up after " + seconds + " s: too soon for a restore of a big "
                        + "store (at least " + LEARNER_STARTUP_BUDGET.toSeconds() + " s)");
            }
            if (!Objects.equals(at(learner, "spec", "replicas"), 1)) {
                problems.add(LEARNER + " runs " + at(learner, "spec", "replicas") + " replicas: it is one decider");
            }
            if (!"Recreate".equals(at(learner, "spec", "strategy", "type"))) {
                problems.add(LEARNER + " is rolled with strategy " + at(learner, "spec", "strategy", "type")
                        + ": two learners would run at once");
            }
        });
        return problems;
    }

    private static List<String> securityProblems(String name, Map<String, Object> pod, Map<String, Object> container) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> podContext = map(pod.get("securityContext"));
        Map<String, Object> context = map(container.get("securityContext"));
        if (!Boolean.TRUE.equals(context.getOrDefault("runAsNonRoot", podContext.get("runAsNonRoot")))) {
            problems.add(name + " may run as root (runAsNonRoot is not true)");
        }
        Object seccomp = Optional.ofNullable(at(context, "seccompProfile", "type")).orElse(at(podContext, "seccompProfile", "type"));
        if (!"RuntimeDefault".equals(seccomp)) {
            problems.add(name + " has seccomp profile " + seccomp + ", not RuntimeDefault");
        }
        if (!Boolean.FALSE.equals(context.get("allowPrivilegeEscalation"))) {
            problems.add(name + " allows privilege escalation (allowPrivilegeEscalation is not false)");
        }
        if (!Boolean.TRUE.equals(context.get("readOnlyRootFilesystem"))) {
            problems.add(name + " has a writable root filesystem (readOnlyRootFilesystem is not true)");
        }
        if (!list(at(context, "capabilities", "drop")).contains("ALL")) {
            problems.add(name + " keeps capabilities (capabilities.drop lacks ALL)");
        }
        if (!list(at(context, "capabilities", "add")).isEmpty()) {
            problems.add(name + " adds capabilities " + at(context, "capabilities", "add"));
        }
        if (Boolean.TRUE.equals(context.get("privileged"))) {
            problems.add(name + " is privileged");
        }
        return problems;
    }

    /** /tmp and every directory the environment names ({@code *_DIR}) are writable volumes, emptyDir only. */
    private static List<String> writableDirectoryProblems(KustomizeManifests manifests, String name,
            Map<String, Object> pod, Map<String, Object> container) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> volumes = new HashMap<>();
        maps(pod.get("volumes")).forEach(volume -> volumes.put(string(volume.get("name")), volume));
        volumes.forEach((volumeName, volume) -> {
            if (volume.containsKey("hostPath")) {
                problems.add(name + " mounts the node's " + at(volume, "hostPath", "path"));
            }
        });
        Map<String, String> writableMounts = new LinkedHashMap<>();
        for (Map<String, Object> mount : maps(container.get("volumeMounts"))) {
            Map<String, Object> volume = volumes.get(string(mount.get("name")));
            if (volume == null) {
                problems.add(name + " mounts volume " + mount.get("name") + ", which it does not declare");
            } else if (!Boolean.TRUE.equals(mount.get("readOnly")) && volume.containsKey("emptyDir")) {
                writableMounts.put(string(mount.get("mountPath")), string(mount.get("name")));
            }
        }
        Set<String> directories = new TreeSet<>(Set.of("/tmp"));
        environment(manifests, container).forEach((variable, value) -> {
            if (variable.endsWith("_DIR") && value != null) {
                directories.add(value);
            }
        });
        for (String directory : directories) {
            boolean covered = writableMounts.keySet().stream()
                    .anyMatch(mount -> directory.equals(mount) || directory.startsWith(mount + "/"));
            if (!covered) {
                problems.add(name + " writes " + directory + " but mounts no writable emptyDir there (the root "
                        + "filesystem is read-only)");
            }
        }
        return problems;
    }

    /**
     * Every variable a container gets and its value where the manifests say it (ConfigMaps it takes whole, literal
     * values); a value from a Secret reads as {@code <secret:name/key>}.
     */
    static Map<String, String> environment(KustomizeManifests manifests, Map<String, Object> container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map<String, Object> source : maps(container.get("envFrom"))) {
            String configMap = string(at(source, "configMapRef", "name"));
            if (configMap != null) {
                manifests.find("ConfigMap", configMap)
                        .ifPresent(found -> map(found.get("data")).forEach((k, v) -> environment.put(k, string(v))));
            }
            String secret = string(at(source, "secretRef", "name"));
            if (secret != null) {
                environment.put("<every key of secret " + secret + ">", null);
            }
        }
        for (Map<String, Object> variable : maps(container.get("env"))) {
            Object secretKey = at(variable, "valueFrom", "secretKeyRef");
            environment.put(string(variable.get("name")), secretKey != null
                    ? "<secret:" + at(secretKey, "name") + "/" + at(secretKey, "key") + ">"
                    : string(variable.get("value")));
        }
        return environment;
    }

    /**
     * What each service reads from its installation is set, pointing at the rendered infrastructure; credentials come
     * from Secrets; no ConfigMap or literal holds a secret; the learner's operator endpoints stay on loopback.
     */
    static List<String> environmentProblems(KustomizeManifests manifests, KustomizeServiceCode code) {
        List<String> problems = new ArrayList<>();
        Set<String> kafkaBootstraps = new HashSet<>();
        manifests.ofKind("Kafka").forEach(kafka -> kafkaBootstraps.add(name(kafka) + "-kafka-bootstrap"));
        Set<String> databases = new HashSet<>();
        manifests.ofKind("Cluster").forEach(cluster -> databases.add(name(cluster) + "-rw"));
        Set<String> keycloaks = new HashSet<>();
        manifests.ofKind("Keycloak").forEach(keycloak -> keycloaks.add(name(keycloak) + "-service"));
        Set<String> realms = new HashSet<>();
        manifests.ofKind("KeycloakRealmImport").forEach(realm -> realms.add(string(at(realm, "spec", "realm", "realm"))));

        for (String service : KustomizeServiceCode.SERVICES) {
            Optional<Map<String, Object>> deployment = manifests.find("Deployment", service);
            if (deployment.isEmpty()) {
                continue;
            }
            Map<String, String> environment =
                    environment(manifests, map(at(deployment.get(), "spec", "template", "spec", "containers", "0")));
            String properties = code.applicationPropertiesText(service);
            for (String setting : INSTALLATION_SETTINGS) {
                if (!properties.contains(setting)) {
                    continue;
                }
                String variable = variableOf(setting);
                String value = environment.get(variable);
                if (value == null) {
                    problems.add(service + " reads " + setting + " but its environment sets no " + variable);
                    continue;
                }
                String host = hostOf(value);
                switch (setting) {
                    case "kafka.bootstrap.servers" -> requireHost(problems, service, variable, host, kafkaBootstraps);
                    case "quarkus.datasource.jdbc.url", "quarkus.datasource.reactive.url" ->
                        requireHost(problems, service, variable, host, databases);
                    default -> {
                        requireHost(problems, service, variable, host, keycloaks);
                        if (realms.stream().noneMatch(realm -> value.endsWith("/realms/" + realm))) {
                            problems.add(service + "'s " + variable + " " + value + " names none of the imported realms "
                                    + realms);
                        }
                    }
                }
            }
            for (String setting : CREDENTIAL_SETTINGS) {
                if (!properties.contains(setting)) {
                    continue;
                }
                String variable = variableOf(setting);
                String value = environment.get(variable);
                if (value == null || !value.startsWith("<secret:")) {
                    problems.add(service + " reads " + setting + " but " + variable + " is "
                            + (value == null ? "not set" : "not from a Secret"));
                }
            }
            environment.forEach((variable, value) -> {
                if (SECRET_NAME.matcher(variable).matches() && value != null && !value.startsWith("<secret:")) {
                    problems.add(service + "'s " + variable + " is a literal, not a Secret reference");
                }
            });
            if (service.equals(LEARNER) && environment.containsKey("QUARKUS_HTTP_HOST")) {
                problems.add(LEARNER + " sets QUARKUS_HTTP_HOST=" + environment.get("QUARKUS_HTTP_HOST")
                        + ": its unauthenticated operator endpoints must stay on the pod's loopback");
            }
        }
        for (Map<String, Object> configMap : manifests.ofKind("ConfigMap")) {
            map(configMap.get("data")).forEach((key, value) -> {
                if (SECRET_NAME.matcher(key).matches()) {
                    problems.add("ConfigMap " + name(configMap) + " holds " + key + ": secrets belong in Secrets");
                }
                for (String line : string(value).split("\n")) {
                    if (!line.strip().startsWith("#") && line.matches("\\s*seedloop\\.models\\.[^.]+\\.api-key\\s*[=:].*")) {
                        problems.add("ConfigMap " + name(configMap) + " gives a model's api-key itself: use api-key-file "
                                + "on a mounted Secret");
                    }
                }
            });
        }
        return problems;
    }

    private static void requireHost(List<String> problems, String service, String variable, String host, Set<String> known) {
        if (!known.contains(host)) {
            problems.add(service + "'s " + variable + " names host " + host + ", none of the rendered " + known);
        }
    }

    /** Quarkus's mapping of a property to an environment variable. */
    static String variableOf(String property) {
        return property.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    private static String hostOf(String value) {
        Matcher url = Pattern.compile("^(?:[a-z:]+//)?([^:/,]+)").matcher(value);
        return url.find() ? url.group(1) : value;
    }

    /** Every topic the code uses is declared by a KafkaTopic of a rendered Kafka cluster, with replicas it has. */
    static List<String> topicProblems(KustomizeManifests manifests, Map<String, Set<String>> topicsUsed) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> declared = new HashMap<>();
        for (Map<String, Object> topic : manifests.ofKind("KafkaTopic")) {
            String topicName = Optional.ofNullable(string(at(topic, "spec", "topicName"))).orElse(name(topic));
            declared.put(topicName, topic);
        }
        topicsUsed.forEach((topic, users) -> {
            if (!declared.containsKey(topic)) {
                problems.add("topic " + topic + " (used by " + String.join(", ", users) + ") has no KafkaTopic");
            }
        });
        Set<String> clusters = new HashSet<>();
        manifests.ofKind("Kafka").forEach(kafka -> clusters.add(name(kafka)));
        int brokers = manifests.ofKind("KafkaNodePool").stream()
                .filter(pool -> list(at(pool, "spec", "roles")).contains("broker"))
                .mapToInt(pool -> ((Number) at(pool, "spec", "replicas")).intValue())
                .sum();
        declared.forEach((topicName, topic) -> {
            Object cluster = at(topic, "metadata", "labels", "strimzi.io/cluster");
            if (!clusters.contains(string(cluster))) {
                problems.add("KafkaTopic " + topicName + " belongs to cluster " + cluster + ", not one rendered " + clusters);
            }
            int replicas = ((Number) at(topic, "spec", "replicas")).intValue();
            if (replicas > brokers) {
                problems.add("KafkaTopic " + topicName + " wants " + replicas + " replicas on " + brokers + " brokers");
            }
            Object minInSync = at(topic, "spec", "config", "min.insync.replicas");
            if (minInSync != null && Integer.parseInt(minInSync.toString()) > replicas) {
                problems.add("KafkaTopic " + topicName + " needs " + minInSync + " in-sync replicas of " + replicas
                        + ": nothing could be written");
            }
        });
        return problems;
    }

    /** An overlay keeps the base's retention for every topic: the log of record is kept for ever everywhere. */
    static List<String> retentionDrift(KustomizeManifests base, KustomizeManifests overlay) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> topic : base.ofKind("KafkaTopic")) {
            Map<String, Object> config = map(at(topic, "spec", "config"));
            Map<String, Object> overlaid = map(at(overlay.find("KafkaTopic", name(topic)).orElse(Map.of()), "spec", "config"));
            for (String key : List.of("retention.ms", "retention.bytes", "cleanup.policy")) {
                if (!Objects.equals(string(config.get(key)), string(overlaid.get(key)))) {
                    problems.add("KafkaTopic " + name(topic) + " has " + key + " " + overlaid.get(key) + ", the base "
                            + config.get(key));
                }
            }
        }
        return problems;
    }

    /** Every container image is one this project builds for that Deployment, at the project's version. */
    static List<String> imageProblems(KustomizeManifests manifests, String version, boolean nativeImages) {
        List<String> problems = new ArrayList<>();
        String tag = nativeImages ? version + "-native" : version;
        for (Map<String, Object> document : manifests.documents()) {
            Map<String, Object> pod = map(at(document, "spec", "template", "spec"));
            for (String group : List.of("containers", "initContainers")) {
                for (Map<String, Object> container : maps(pod.get(group))) {
                    String image = string(container.get("image"));
                    String expected = "seedloop/" + name(document) + ":" + tag;
                    if (!expected.equals(image)) {
                        problems.add(document.get("kind") + " " + name(document) + " runs image " + image + ", not "
                                + expected);
                    }
                }
            }
        }
        return problems;
    }

    /**
     * Only the gateway is reached from outside: the Ingresses route to it alone (with TLS where asked), Services are
     * cluster-internal and none exposes the learner's operator port.
     */
    static List<String> exposureProblems(KustomizeManifests manifests, KustomizeServiceCode code, boolean tls) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> ingresses = manifests.ofKind("Ingress");
        if (ingresses.isEmpty()) {
            problems.add("no Ingress reaches the gateway");
        }
        for (Map<String, Object> ingress : ingresses) {
            List<Object> backends = new ArrayList<>();
            Optional.ofNullable(at(ingress, "spec", "defaultBackend", "service", "name")).ifPresent(backends::add);
            for (Map<String, Object> rule : maps(at(ingress, "spec", "rules"))) {
                for (Map<String, Object> path : maps(at(rule, "http", "paths"))) {
                    backends.add(at(path, "backend", "service", "name"));
                }
            }
            backends.stream().filter(backend -> !GATEWAY.equals(backend)).forEach(backend ->
                    problems.add("Ingress " + name(ingress) + " routes to " + backend + ": only the gateway is public"));
            if (tls) {
                Set<Object> covered = new HashSet<>();
                maps(at(ingress, "spec", "tls")).forEach(entry -> covered.addAll(list(entry.get("hosts"))));
                maps(at(ingress, "spec", "rules")).stream().map(rule -> rule.get("host"))
                        .filter(host -> !covered.contains(host))
                        .forEach(host -> problems.add("Ingress " + name(ingress) + " serves " + host + " without TLS"));
            }
        }
        for (Map<String, Object> service : manifests.ofKind("Service")) {
            Object type = at(service, "spec", "type");
            if (type != null && !"ClusterIP".equals(type)) {
                problems.add("Service " + name(service) + " is of type " + type + ": only the Ingress is public");
            }
            if (LEARNER.equals(at(service, "spec", "selector", "app.kubernetes.io/name"))) {
                for (Map<String, Object> port : maps(at(service, "spec", "ports"))) {
                    Object target = Optional.ofNullable(port.get("targetPort")).orElse(port.get("port"));
                    if ("http".equals(target) || Objects.equals(target, code.httpPort(LEARNER))) {
                        problems.add("Service " + name(service) + " exposes the learner's operator endpoints (" + target
                                + ")");
                    }
                }
            }
        }
        return problems;
    }

    /**
     * Default deny; experiments with no connection at all; among the services only the gateway accepts connections,
     * and only it from outside the namespace.
     */
    static List<String> networkPolicyProblems(KustomizeManifests manifests) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> policies = manifests.ofKind("NetworkPolicy");
        boolean defaultDeny = policies.stream().anyMatch(policy -> map(at(policy, "spec", "podSelector")).isEmpty()
                && list(at(policy, "spec", "policyTypes")).containsAll(List.of("Ingress", "Egress"))
                && list(at(policy, "spec", "ingress")).isEmpty() && list(at(policy, "spec", "egress")).isEmpty());
        if (!defaultDeny) {
            problems.add("no NetworkPolicy denies all ingress and egress to every pod by default");
        }
        List<Map<String, Object>> selectingExperiments = policies.stream()
                .filter(policy -> selects(map(at(policy, "spec", "podSelector")), EXPERIMENT_LABELS))
                .toList();
        for (String direction : List.of("Ingress", "Egress")) {
            if (selectingExperiments.stream().noneMatch(p -> list(at(p, "spec", "policyTypes")).contains(direction))) {
                problems.add("no NetworkPolicy isolates experiment pods' " + direction.toLowerCase());
            }
        }
        for (Map<String, Object> policy : selectingExperiments) {
            if (!list(at(policy, "spec", "egress")).isEmpty()) {
                problems.add("NetworkPolicy " + name(policy) + " allows experiment pods egress: they must have none");
            }
            if (!list(at(policy, "spec", "ingress")).isEmpty()) {
                problems.add("NetworkPolicy " + name(policy) + " allows experiment pods ingress: they must have none");
            }
        }
        for (String service : KustomizeServiceCode.SERVICES) {
            Optional<Map<String, Object>> deployment = manifests.find("Deployment", service);
            if (deployment.isEmpty()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            map(at(deployment.get(), "spec", "template", "metadata", "labels")).forEach((k, v) -> labels.put(k, string(v)));
            boolean fromOutside = false;
            for (Map<String, Object> policy : policies) {
                if (!selects(map(at(policy, "spec", "podSelector")), labels)) {
                    continue;
                }
                for (Map<String, Object> rule : maps(at(policy, "spec", "ingress"))) {
                    List<Map<String, Object>> peers = maps(rule.get("from"));
                    boolean outside = peers.isEmpty() || peers.stream()
                            .anyMatch(peer -> peer.containsKey("namespaceSelector") || peer.containsKey("ipBlock"));
                    fromOutside |= outside;
                    if (!service.equals(GATEWAY)) {
                        problems.add("NetworkPolicy " + name(policy) + " lets " + (outside ? "outside " : "") + "clients "
                                + "reach " + service + ": only the gateway accepts connections");
                    }
                }
            }
            if (service.equals(GATEWAY) && !fromOutside) {
                problems.add("no NetworkPolicy lets the ingress controller reach the gateway");
            }
        }
        return problems;
    }

    /** Whether a Kubernetes label selector matches a pod with these labels (an empty selector matches every pod). */
    static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
        for (Map.Entry<String, Object> entry : map(selector.get("matchLabels")).entrySet()) {
            if (!Objects.equals(labels.get(entry.getKey()), string(entry.getValue()))) {
                return false;
            }
        }
        for (Map<String, Object> expression : maps(selector.get("matchExpressions"))) {
            String value = labels.get(string(expression.get("key")));
            List<Object> values = list(expression.get("values"));
            boolean matches = switch (string(expression.get("operator"))) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("operator " + expression.get("operator"));
            };
            if (!matches) {
                return false;
            }
        }
        return true;
    }

    /**
     * The implementer's account may do what the Job executor needs and no more; nothing is cluster-wide; no other
     * service gets an API token.
     */
    static List<String> rbacProblems(KustomizeManifests manifests) {
        List<String> problems = new ArrayList<>();
        for (String kind : List.of("ClusterRole", "ClusterRoleBinding")) {
            manifests.ofKind(kind).forEach(object -> problems.add(kind + " " + name(object) + ": nothing is cluster-wide"));
        }
        for (Map<String, Object> deployment : manifests.ofKind("Deployment")) {
            Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
            if (!IMPLEMENTER.equals(name(deployment)) && !Boolean.FALSE.equals(pod.get("automountServiceAccountToken"))) {
                problems.add(name(deployment) + " gets an API token it has no use for (automountServiceAccountToken)");
            }
        }
        Optional<Map<String, Object>> implementer = manifests.find("Deployment", IMPLEMENTER);
        String account = implementer.map(d -> string(at(d, "spec", "template", "spec", "serviceAccountName"))).orElse(null);
        if (account == null || manifests.find("ServiceAccount", account).isEmpty()) {
            problems.add(IMPLEMENTER + " runs as service account " + account + ", which is not rendered");
            return problems;
        }
        Map<String, Set<String>> granted = new LinkedHashMap<>();
        for (Map<String, Object> binding : manifests.ofKind("RoleBinding")) {
            boolean bindsAccount = maps(binding.get("subjects")).stream()
                    .anyMatch(s -> "ServiceAccount".equals(s.get("kind")) && account.equals(s.get("name")));
            if (!bindsAccount) {
                continue;
            }
            manifests.find(string(at(binding, "roleRef", "kind")), string(at(binding, "roleRef", "name")))
                    .ifPresent(role -> maps(role.get("rules")).forEach(rule -> {
                        for (Object group : list(rule.get("apiGroups"))) {
                            for (Object resource : list(rule.get("resources"))) {
                                Set<String> verbs = granted.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>());
                                list(rule.get("verbs")).forEach(verb -> verbs.add(string(verb)));
                            }
                        }
                    }));
        }
        granted.forEach((resource, verbs) -> {
            Set<String> extra = new TreeSet<>(verbs);
            extra.removeAll(EXECUTOR_MAY.getOrDefault(resource, Set.of()));
            if (!extra.isEmpty()) {
                problems.add(account + " may " + extra + " " + resource + ": more than the Job executor needs");
            }
        });
        EXECUTOR_NEEDS.forEach((resource, verbs) -> {
            Set<String> missing = new TreeSet<>(verbs);
            missing.removeAll(granted.getOrDefault(resource, Set.of()));
            if (!missing.isEmpty()) {
                problems.add(account + " may not " + missing + " " + resource + ", which the Job executor needs");
            }
        });
        return problems;
    }

    /**
     * Disruption budgets that let a node drain, an autoscaler for the implementer alone and within the partitions of
     * its input topic.
     */
    static List<String> scalingProblems(KustomizeManifests manifests) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : manifests.ofKind("Deployment")) {
            Map<String, String> labels = new HashMap<>();
            map(at(deployment, "spec", "template", "metadata", "labels")).forEach((k, v) -> labels.put(k, string(v)));
            List<Map<String, Object>> budgets = manifests.ofKind("PodDisruptionBudget").stream()
                    .filter(pdb -> selects(map(at(pdb, "spec", "selector")), labels))
                    .toList();
            if (budgets.isEmpty()) {
                problems.add(name(deployment) + " has no PodDisruptionBudget");
            }
            int replicas = ((Number) Optional.ofNullable(at(deployment, "spec", "replicas")).orElse(1)).intValue();
            for (Map<String, Object> budget : budgets) {
                Object minAvailable = at(budget, "spec", "minAvailable");
                if (minAvailable instanceof Integer min && min >= replicas) {
                    problems.add("PodDisruptionBudget " + name(budget) + " keeps " + min + " of " + name(deployment) + "'s "
                            + replicas + " replicas: no node could ever be drained");
                }
            }
        }
        for (Map<String, Object> autoscaler : manifests.ofKind("HorizontalPodAutoscaler")) {
            Object target = at(autoscaler, "spec", "scaleTargetRef", "name");
            if (!IMPLEMENTER.equals(target)) {
                problems.add("HorizontalPodAutoscaler " + name(autoscaler) + " scales " + target + ": only the implementer "
                        + "scales with load");
            }
            int partitions = manifests.ofKind("KafkaTopic").stream()
                    .filter(topic -> "seedloop.proposals".equals(at(topic, "spec", "topicName")))
                    .mapToInt(topic -> ((Number) at(topic, "spec", "partitions")).intValue())
                    .findFirst().orElse(0);
            Object max = at(autoscaler, "spec", "maxReplicas");
            if (!(max instanceof Integer m) || m > partitions) {
                problems.add("HorizontalPodAutoscaler " + name(autoscaler) + " may run " + max + " implementers for "
                        + partitions + " partitions of seedloop.proposals: the rest would idle");
            }
        }
        if (manifests.ofKind("HorizontalPodAutoscaler").stream()
                .noneMatch(hpa -> IMPLEMENTER.equals(at(hpa, "spec", "scaleTargetRef", "name")))) {
            problems.add("no HorizontalPodAutoscaler scales the implementer");
        }
        return problems;
    }

    /**
     * The realm import is the realm file: exactly (development), or without its users, with HTTPS required and every
     * client secret a placeholder filled from a Secret (production).
     */
    static List<String> realmProblems(KustomizeManifests manifests, Object realmFile, boolean production) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> imports = manifests.ofKind("KeycloakRealmImport");
        if (imports.size() != 1) {
            return List.of(imports.size() + " KeycloakRealmImports, not one");
        }
        Map<String, Object> realmImport = imports.get(0);
        String keycloak = string(at(realmImport, "spec", "keycloakCRName"));
        if (manifests.find("Keycloak", keycloak).isEmpty()) {
            problems.add("KeycloakRealmImport " + name(realmImport) + " is for Keycloak " + keycloak + ", not rendered");
        }
        Object imported = at(realmImport, "spec", "realm");
        if (!production) {
            difference("realm", realmFile, imported).ifPresent(difference -> problems.add("KeycloakRealmImport "
                    + name(realmImport) + " differs from deploy/keycloak/seedloop-realm.json at " + difference
                    + ": run deploy/kubernetes/sync-realm-import.sh"));
            return problems;
        }
        if (at(imported, "users") != null) {
            problems.add("the production realm imports the development users (known passwords)");
        }
        if ("none".equals(at(imported, "sslRequired"))) {
            problems.add("the production realm accepts logins over plain HTTP (sslRequired none)");
        }
        Map<String, Object> placeholders = map(at(realmImport, "spec", "placeholders"));
        for (Map<String, Object> client : maps(at(imported, "clients"))) {
            Object secret = client.get("secret");
            if (secret == null) {
                continue;
            }
            Matcher placeholder = Pattern.compile("\\$\\{([A-Z0-9_]+)}").matcher(secret.toString());
            if (!placeholder.matches() || at(placeholders, placeholder.group(1), "secret", "name") == null) {
                problems.add("the production realm's client " + client.get("clientId") + " has a literal secret, not a "
                        + "placeholder filled from a Secret");
            }
        }
        difference("realm", withoutDevelopmentParts(realmFile), withoutDevelopmentParts(imported)).ifPresent(difference ->
                problems.add("the production realm differs from deploy/keycloak/seedloop-realm.json beyond its users, "
                        + "sslRequired and client secrets, at " + difference));
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static Object withoutDevelopmentParts(Object realm) {
        Map<String, Object> copy = new LinkedHashMap<>(map(realm));
        copy.remove("users");
        copy.remove("sslRequired");
        List<Object> clients = new ArrayList<>();
        for (Map<String, Object> client : maps(copy.get("clients"))) {
            Map<String, Object> withoutSecret = new LinkedHashMap<>(client);
            withoutSecret.remove("secret");
            clients.add(withoutSecret);
        }
        copy.put("clients", clients);
        return copy;
    }

    /** The first path at which two parsed documents differ, if any. */
    static Optional<String> difference(String path, Object expected, Object actual) {
        if (expected instanceof Map<?, ?> a && actual instanceof Map<?, ?> b) {
            Set<Object> keys = new TreeSet<>(Comparator.comparing(Object::toString));
            keys.addAll(a.keySet());
            keys.addAll(b.keySet());
            for (Object key : keys) {
                Optional<String> inner = difference(path + "." + key, a.get(key), b.get(key));
                if (inner.isPresent()) {
                    return inner;
                }
            }
            return Optional.empty();
        }
        if (expected instanceof List<?> a && actual instanceof List<?> b) {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                Optional<String> inner = difference(path + "[" + i + "]", i < a.size() ? a.get(i) : null,
                        i < b.size() ? b.get(i) : null);
                if (inner.isPresent()) {
                    return inner;
                }
            }
            return Optional.empty();
        }
        return Objects.equals(expected, actual) ? Optional.empty()
                : Optional.of(path + " (file: " + expected + ", import: " + actual + ")");
    }
}
