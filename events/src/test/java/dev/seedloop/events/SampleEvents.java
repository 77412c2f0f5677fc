package dev.seedloop.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One realistic envelope per registered event type, shared through the test-jar. The golden
 * fixtures under {@code golden/} are exactly these envelopes encoded, so other modules can use
 * either the objects or the bytes.
 */
public final class SampleEvents {

    public static final String STUDY_ID = "0193f7a2-4c1e-7b3d-9a5f-2e8c6d4b1a90";
    public static final String TEAM = "optimisation-lab";
    public static final UUID CORRELATION_ID = UUID.fromString("0193f7a2-4c1e-7b3d-9a5f-2e8c6d4b1a90");

    public static final UUID STUDY_CREATED_ID = UUID.fromString("0193f7a2-4c20-7e11-8f3a-6b1d2c9e0a47");
    public static final UUID PROPOSAL_ID = UUID.fromString("0193f7a2-5d02-7a6c-b4e1-93f0d8a2c615");
    public static final UUID PARENT_PROPOSAL_ID = UUID.fromString("0193f7a1-f3b8-7c09-a2d4-5e6f7a8b9c0d");
    public static final UUID EXPERIMENT_ID = UUID.fromString("8b2f4c1d-9e3a-8d57-a1c6-0f4e2b7d9a35");
    public static final UUID EVALUATION_ID = UUID.fromString("c4a7e2f9-1b3d-8a64-9e0f-7d2c5b8a1e43");

    static final String SPEC_SHA = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String WORKSPACE_SHA = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    /** Trees as the artifact store names them: the study's upload, a proposal's child, the held-out data. */
    static final String BASE_TREE = "sha256:5d2c9e0a4f7a2b6c1e8d3f90a7b4c6e2d1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6";
    static final String CHILD_TREE = "sha256:7e4a1b9c2d3f5e6a8b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a";
    static final String HELD_OUT_TREE = "sha256:0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d";
    static final String EVALUATOR_SHA = "sha256:fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9";

    private SampleEvents() {
    }

    private static EventEnvelope envelope(String eventId, String occurredAt, UUID causationId, String producer,
                                          EventPayload payload) {
        return new EventEnvelope(UUID.fromString(eventId), STUDY_ID, TEAM, Instant.parse(occurredAt), causationId,
                CORRELATION_ID, producer, payload);
    }

    public static EventEnvelope studyCreated() {
        return envelope("0193f7a2-4c20-7e11-8f3a-6b1d2c9e0a47", "2026-11-23T12:00:00.123Z", null, Services.GATEWAY,
                new StudyCreated("resnet-lr-sweep",
                        new Objective("val_loss", Direction.MINIMIZE, 0.05),
                        new SearchSpace(List.of(
                                Parameter.floating("learning_rate", 1.0E-5, 0.1, true),
                                Parameter.integer("batch_size", 16, 256),
                                Parameter.categorical("optimizer", List.of("adam", "sgd", "adamw")))),
                        new Budget(40, 7200, 2, new ModelBudget(200L, null, 25.0)), "evolutionary", 424242L, SPEC_SHA,
                        WorkspaceRef.ofTree(BASE_TREE),
                        new ExperimentSpec(List.of("python3", "train.py", "--epochs", "20"), Map.of("OMP_NUM_THREADS", "1"),
                                900L, 3, new ExperimentLimits(600L, 2048L, 64, 1_048_576L), null),
                        new ValidationSpec(List.of("python3", "-m", "pytest", "-q", "tests"),
                                List.of("python3", "heldout.py"), "heldout_loss", 0.02, HELD_OUT_TREE),
                        List.of("tests/", "heldout.py", "evaluate.py"), Map.of("population", "16"),
                        PromotionPolicy.MANUAL, "alice-researcher", studyOrigin()));
    }

    /** A fork's origin: two evaluated proposals of the source, the second derived from the first. */
    public static StudyOrigin studyOrigin() {
        UUID first = UUID.fromString("0193e1a0-0001-7000-8000-000000000001");
        UUID second = UUID.fromString("0193e1a0-0002-7000-8000-000000000002");
        Map<String, Object> firstPoint = new LinkedHashMap<>();
        firstPoint.put("learning_rate", 0.003);
        firstPoint.put("batch_size", 64);
        firstPoint.put("optimizer", "adam");
        Map<String, Object> secondPoint = new LinkedHashMap<>(firstPoint);
        secondPoint.put("learning_rate", 0.0025);
        return new StudyOrigin("0193e19f-7b00-7c00-8a00-00000000f0f0", 41L, second, 0.118,
                List.of(new StudyOrigin.Proposal(first, 0, "random", List.of(), firstPoint, Verdict.NEW_CHAMPION, 0.125),
                        new StudyOrigin.Proposal(second, 1, "mutate", List.of(first), secondPoint, Verdict.NEW_CHAMPION,
                                0.118)),
                3);
    }

    public static EventEnvelope studyPaused() {
        return envelope("0193f7b0-1a2b-7c3d-8e4f-5a6b7c8d9e0f", "2026-11-23T12:30:00Z", null, Services.GATEWAY,
                new StudyPaused("alice@example.org", "GPU maintenance window"));
    }

    public static EventEnvelope studyResumed() {
        return envelope("0193f7c1-2b3c-7d4e-9f50-6b7c8d9e0f1a", "2026-11-23T13:05:10.5Z", null, Services.GATEWAY,
                new StudyResumed("alice@example.org"));
    }

    public static EventEnvelope studyHalted() {
        return envelope("0193f7d2-3c4d-7e5f-a061-7c8d9e0f1a2b", "2026-11-23T15:00:00.001Z", null, Services.GATEWAY,
                new StudyHalted("bob@example.org", "objective metric was mis-specified"));
    }

    public static EventEnvelope studyCompleted() {
        return envelope("0193f7e3-4d5e-7f60-b172-8d9e0f1a2b3c", "2026-11-23T14:42:17.250Z",
                UUID.fromString("0193f7e3-4d5d-7a11-8c22-9d0e1f2a3b4c"), Services.LEARNER,
                new StudyCompleted("budget exhausted: 40 of 40 experiments", PROPOSAL_ID, 0.0412, 40));
    }

    public static EventEnvelope proposalCreated() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("learning_rate", 0.003);
        params.put("batch_size", 64);
        params.put("optimizer", "adamw");
        params.put("warmup", true);
        return envelope("0193f7a2-5d02-7a6c-b4e1-93f0d8a2c615", "2026-11-23T12:00:01.007Z", STUDY_CREATED_ID,
                Services.PROPOSER,
                new ProposalCreated(PROPOSAL_ID, 7, "evolutionary", "mutate", params, List.of(PARENT_PROPOSAL_ID),
                        List.of(new FilePatch("src/schedule.py", "def lr(step):\n    return 0.001\n"),
                                new FilePatch("notes/old.txt", null),
                                FilePatch.diff("train.py", "--- a/train.py\n+++ b/train.py\n@@ -1,2 +1,2 @@\n"
                                        + " import torch\n-EPOCHS = 10\n+EPOCHS = 20\n")),
                        BASE_TREE));
    }

    public static EventEnvelope proposalRejected() {
        return envelope("0193f7a2-5d10-7b2a-8c3d-4e5f6a7b8c9d", "2026-11-23T12:00:01.020Z", STUDY_CREATED_ID,
                Services.PROPOSER,
                new ProposalRejected(UUID.fromString("0193f7a2-5d0f-7e8d-9c0b-1a2b3c4d5e6f"), "outside search space",
                        List.of("learning_rate=0.5 > high=0.1", "batch_size=8 < low=16")));
    }

    public static EventEnvelope experimentStarted() {
        return envelope("0193f7a2-6e13-7f24-9a35-b46c57d68e79", "2026-11-23T12:00:02.500Z", PROPOSAL_ID,
                Services.IMPLEMENTER,
                new ExperimentStarted(EXPERIMENT_ID, PROPOSAL_ID, "local-process", WORKSPACE_SHA, 3, BASE_TREE,
                        CHILD_TREE));
    }

    public static EventEnvelope experimentCompleted() {
        Map<String, Double> m1 = new LinkedHashMap<>();
        m1.put("val_loss", 0.0431);
        m1.put("accuracy", 0.9712);
        Map<String, Double> m2 = new LinkedHashMap<>();
        m2.put("val_loss", 0.0405);
        m2.put("accuracy", 0.9733);
        Map<String, Double> m3 = new LinkedHashMap<>();
        m3.put("val_loss", 0.04);
        m3.put("accuracy", 0.974);
        return envelope("0193f7a5-0a1b-7c2d-8e3f-405162738495", "2026-11-23T12:03:44.918Z",
                UUID.fromString("0193f7a2-6e13-7f24-9a35-b46c57d68e79"), Services.IMPLEMENTER,
                new ExperimentCompleted(EXPERIMENT_ID, PROPOSAL_ID, List.of(
                        new RepeatResult(1001L, m1, 71234L, 0),
                        new RepeatResult(1002L, m2, 70988L, 0),
                        new RepeatResult(1003L, m3, 72410L, 0)),
                        new ResourceUsage(214632L, 801245L, 3145728L),
                        "epoch 20/20 val_loss=0.0400\nsaved metrics.json\n",
                        new ValidationResult(true, "tests passed", "12 passed in 3.1s\n"), 0.0452, CHILD_TREE));
    }

    public static EventEnvelope experimentFailed() {
        return envelope("0193f7a3-7f24-7a35-8b46-c57d68e79f80", "2026-11-23T12:01:30Z",
                UUID.fromString("0193f7a2-7000-7abc-9def-0123456789ab"), Services.IMPLEMENTER,
                new ExperimentFailed(UUID.fromString("8d1e5a2b-3c4f-8e6a-b7c8-d9e0f1a2b3c4"),
                        UUID.fromString("0193f7a2-6f00-7123-8456-789abcdef012"), FailureReason.BAD_METRICS,
                        "metrics.json has no key 'val_loss'", new ResourceUsage(30500L, 28000L, 524288L),
                        "Traceback (most recent call last):\n  KeyError: 'val_loss'\n"));
    }

    public static EventEnvelope evaluationCompleted() {
        return envelope("0193f7a5-1b2c-7d3e-9f40-516273849506", "2026-11-23T12:03:45.102Z",
                UUID.fromString("0193f7a5-0a1b-7c2d-8e3f-405162738495"), Services.EVALUATOR,
                new EvaluationCompleted(EVALUATION_ID, EXPERIMENT_ID, PROPOSAL_ID, Verdict.NEW_CHAMPION,
                        "mean val_loss 0.0412 beats champion 0.0530 (Welch t-test)",
                        new MetricSummary("val_loss", 3, 0.0412, 0.0017, 0.0371, 0.0453), 0.0031, true, EVALUATOR_SHA));
    }

    public static EventEnvelope championChanged() {
        return envelope("0193f7a5-1b2d-7e4f-a051-627384950617", "2026-11-23T12:03:45.103Z",
                UUID.fromString("0193f7a5-1b2c-7d3e-9f40-516273849506"), Services.EVALUATOR,
                new ChampionChanged(PROPOSAL_ID, PARENT_PROPOSAL_ID, EVALUATION_ID, 0.0412));
    }

    public static EventEnvelope strategyUpdated() {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put("mutate", 0.6);
        weights.put("crossover", 0.3);
        weights.put("random", 0.1);
        return envelope("0193f7a5-2c3d-7f50-b162-738495061728", "2026-11-23T12:03:45.300Z",
                UUID.fromString("0193f7a5-1b2d-7e4f-a051-627384950617"), Services.LEARNER,
                new StrategyUpdated(12L, 2, weights, "champion improved; favour exploitation", 14, List.of(
                        new Observation(PARENT_PROPOSAL_ID, 3, "sobol", Map.of("learning_rate", 0.01), 0.0512),
                        new Observation(PROPOSAL_ID, 7, "mutate", Map.of("learning_rate", 0.0012), 0.0412,
                                CHILD_TREE, List.of(PARENT_PROPOSAL_ID), "epoch 20 val_loss 0.0412\n", null),
                        new Observation(UUID.fromString("0193f7a3-0000-7000-8000-000000000009"), 9,
                                "repair@small/default", Map.of("learning_rate", 0.0012), null, null,
                                List.of(PROPOSAL_ID), "Traceback (most recent call last): ...\n", "exit-code")),
                        "mutate@small/default improved the champion twice; every crossover failed validation"));
    }

    public static EventEnvelope modelCallCompleted() {
        return envelope("0193f7a5-3d4e-7a61-8c73-849506172839", "2026-11-23T12:03:52.410Z",
                UUID.fromString("0193f7a5-2c3d-7f50-b162-738495061728"), Services.PROPOSER,
                new ModelCallCompleted(UUID.fromString("0193f7a5-3d4e-7a61-8c73-849506172840"), PROPOSAL_ID, 14,
                        "small", "default", "mutate@small/default",
                        "sha256:1f3a5c7e9b0d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3f5a7b9d0c2e4f6a8b1c", 6_214,
                        "sha256:2e4a6c8e0f1b3d5f7a9c1e3b5d7f9a0c2e4f6b8d0a1c3e5f7b9d1a3c5e7f9b2d", 1_377, 1_802, 412,
                        3_940, 0.000_934, 2, false, null));
    }

    public static EventEnvelope promotionRequested() {
        return envelope("0193f7a5-1b2e-7a01-8c12-2d3e4f506172", "2026-11-23T12:03:45.110Z",
                UUID.fromString("0193f7a5-1b2c-7d3e-9f40-516273849506"), Services.EVALUATOR,
                new PromotionRequested(PROPOSAL_ID, EVALUATION_ID, 0.0412, PARENT_PROPOSAL_ID));
    }

    public static EventEnvelope promotionApproved() {
        return envelope("0193f7c0-0a1b-7c2d-9e3f-405162738495", "2026-11-23T13:10:00Z", null, Services.GATEWAY,
                new PromotionApproved(PROPOSAL_ID, "alice-approver", "reviewed the diff and the held-out result"));
    }

    public static EventEnvelope promotionRejected() {
        return envelope("0193f7c0-0a1b-7c2d-9e3f-405162738496", "2026-11-23T13:11:00Z", null, Services.GATEWAY,
                new PromotionRejected(PROPOSAL_ID, "alice-approver", "gain is within last week's noise"));
    }

    public static EventEnvelope teamQuotaSet() {
        return new EventEnvelope(UUID.fromString("0193f7c1-0000-7000-8000-000000000001"), TeamStreams.streamId(TEAM),
                TEAM, java.time.Instant.parse("2026-11-23T09:00:00Z"), null,
                UUID.fromString("0193f7c1-0000-7000-8000-000000000001"), Services.GATEWAY,
                new TeamQuotaSet(3, 500, "alice-admin"));
    }

    /** A fresh study id, so tests sharing a broker or database do not see each other's events. */
    public static String newStudyId() {
        return UUID.randomUUID().toString();
    }

    /** Stable per-study UUID for a role, so per-study samples never collide across studies yet repeat exactly. */
    private static UUID idFor(String studyId, String purpose) {
        return EventIds.derived(UUID.nameUUIDFromBytes(studyId.getBytes(java.nio.charset.StandardCharsets.UTF_8)), purpose);
    }

    private static EventEnvelope inStudy(EventEnvelope sample, String studyId, String purpose, UUID causationId,
                                         EventPayload payload) {
        return new EventEnvelope(idFor(studyId, purpose), studyId, TEAM, sample.occurredAt(), causationId,
                idFor(studyId, "correlation"), sample.producer(), payload);
    }

    /** A workspace on the servers' disks, as studies before v4 named it; tests of the stages still run these. */
    public static final WorkspaceRef LEGACY_WORKSPACE = new WorkspaceRef("/srv/seedloop/workspaces/resnet",
            "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae");

    private static ValidationSpec withoutHeldOutData(ValidationSpec v) {
        return new ValidationSpec(v.command(), v.heldOutCommand(), v.heldOutMetric(), v.tolerance());
    }

    /**
     * {@link #studyCreated()} for the given study, with the legacy workspace and no held-out data, with ids derived from the study id; not a fork (the golden
     * sample is one, to freeze the shape of an origin), so tests built on it start from an empty history.
     */
    public static EventEnvelope studyCreated(String studyId) {
        EventEnvelope s = studyCreated();
        StudyCreated c = (StudyCreated) s.payload();
        StudyCreated plain = new StudyCreated(c.name(), c.objective(), c.searchSpace(), c.budget(), c.strategy(), c.seed(),
                c.specSha256(), LEGACY_WORKSPACE, c.experiment(), withoutHeldOutData(c.validation()), c.protectedPaths(),
                c.strategyOptions(), c.promotion(), c.createdBy(), null);
        return inStudy(s, studyId, "study-created", null, plain);
    }

    /**
     * {@code n} proposals (ordinals 0..n-1) caused by {@link #studyCreated(String)}, one millisecond
     * apart, with distinct proposal and event ids derived from the study id.
     */
    public static List<EventEnvelope> proposals(String studyId, int n) {
        EventEnvelope cause = studyCreated(studyId);
        ProposalCreated template = (ProposalCreated) proposalCreated().payload();
        List<EventEnvelope> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> params = new LinkedHashMap<>(template.parameters());
            params.put("learning_rate", 0.001 + i * 1.0E-5);
            var payload = new ProposalCreated(idFor(studyId, "proposal:" + i), i, template.strategy(), template.operator(),
                    params, List.of());
            out.add(new EventEnvelope(idFor(studyId, "proposal-event:" + i), studyId, TEAM,
                    proposalCreated().occurredAt().plusMillis(i), cause.eventId(), cause.correlationId(),
                    Services.PROPOSER, payload));
        }
        return out;
    }

    /** {@link #experimentFailed()} for the given study, with experiment/proposal/event ids derived from the study id. */
    public static EventEnvelope experimentFailed(String studyId) {
        EventEnvelope s = experimentFailed();
        ExperimentFailed f = (ExperimentFailed) s.payload();
        var payload = new ExperimentFailed(idFor(studyId, "experiment"), idFor(studyId, "proposal:0"), f.reason(),
                f.detail(), f.usage(), f.logTail());
        return inStudy(s, studyId, "experiment-failed", idFor(studyId, "experiment-started"), payload);
    }

    /** One envelope per type in {@link EventTypes#all()}, in registry order. */
    public static List<EventEnvelope> all() {
        return List.of(studyCreated(), studyPaused(), studyResumed(), studyHalted(), studyCompleted(),
                proposalCreated(), proposalRejected(), modelCallCompleted(), experimentStarted(), experimentCompleted(), experimentFailed(),
                evaluationCompleted(), championChanged(), strategyUpdated(), promotionRequested(), promotionApproved(),
                promotionRejected(), teamQuotaSet());
    }

    public static EventEnvelope forType(String typeName) {
        return all().stream().filter(e -> e.type().equals(typeName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sample for " + typeName));
    }
}
