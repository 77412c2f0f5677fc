package dev.seedloop.learner.projection.persistence;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import dev.seedloop.events.Budget;
import dev.seedloop.events.ModelBudget;
import dev.seedloop.events.Direction;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Observation;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.Verdict;
import dev.seedloop.learner.domain.AppliedEvents;
import dev.seedloop.learner.domain.BetaPosterior;
import dev.seedloop.learner.domain.LearnerState;
import dev.seedloop.learner.domain.StudyGovernance;
import dev.seedloop.learner.domain.StudyProgress;
import dev.seedloop.learner.domain.StudyRequests;
import dev.seedloop.learner.domain.StudyResults;
import dev.seedloop.learner.domain.StudySpec;
import dev.seedloop.learner.domain.Candidate;
import dev.seedloop.learner.domain.ChampionEntry;
import dev.seedloop.learner.domain.Control;
import dev.seedloop.learner.domain.ControlAction;
import dev.seedloop.learner.domain.Elite;
import dev.seedloop.learner.domain.EventIdSet;
import dev.seedloop.learner.domain.Evidence;
import dev.seedloop.learner.domain.ForkOrigin;
import dev.seedloop.learner.domain.Lineage;
import dev.seedloop.learner.domain.ModelSpend;
import dev.seedloop.learner.domain.ModelUse;
import dev.seedloop.learner.domain.ProposalOutcome;
import dev.seedloop.learner.domain.PendingApproval;
import dev.seedloop.learner.domain.ResolvedOrdinals;
import dev.seedloop.learner.domain.StrategySettings;
import dev.seedloop.learner.domain.StrategyState;
import dev.seedloop.learner.domain.StudyState;
import dev.seedloop.learner.domain.StudyStatus;

/**
 * A study's folded state (study and strategy) as bytes, exactly enough to go on folding: what a snapshot
 * stores. {@code StateJson} is for reading and comparing and leaves out what folding needs (the seen event
 * ids, the Java types of parameter values), so snapshots have their own format.
 *
 * <p>Binary, part by part of {@link StudyState} and field by field in record order (format 4; format 3 had no
 * model use, no model budget and no strategy options; format 2 wrote the study before it was split into parts,
 * its 36 fields in one record, and without the requests' resolved ordinals):
 * UUIDs as 16 bytes, doubles as their bits (so every value comes back identical), instants as seconds and nanos, counts as varints, and each distinct string once (later
 * uses refer to the first, which also makes a decoded study share its operator and parameter names).
 * {@link #FORMAT_VERSION} names the layout; change it whenever the layout or the meaning of a field changes,
 * and stored snapshots of other versions are ignored (they are derived data: a replay then starts from an
 * earlier one, or from the first event). {@code SnapshotCodecTest} fails when a state record gains or loses a
 * component, as a reminder.
 */
public final class SnapshotCodec {

    /** The layout written by {@link #encode}; the only one {@link #decode} reads. */
    public static final int FORMAT_VERSION = 4;

    private static final int MAGIC = 0x534c5353; // "SLSS": SeedLoop Study Snapshot

    /** Tags of the parameter values a snapshot can hold: what JSON decodes to, and nesting of them. */
    private static final int NULL = 0;
    private static final int FALSE = 1;
    private static final int TRUE = 2;
    private static final int INT = 3;
    private static final int LONG = 4;
    private static final int DOUBLE = 5;
    private static final int STRING = 6;
    private static final int BIG_INTEGER = 7;
    private static final int BIG_DECIMAL = 8;
    private static final int FLOAT = 9;
    private static final int LIST = 10;
    private static final int MAP = 11;

    /** A decoded snapshot: the state to go on folding from. */
    public record Snapshot(StudyState study, StrategyState strategy) {
        public LearnerState state() {
            return new LearnerState(study, strategy);
        }
    }

    private SnapshotCodec() {
    }

    /** @throws IllegalArgumentException if a value has a type snapshots cannot hold (a parameter value) */
    public static byte[] encode(StudyState study, StrategyState strategy) {
        // A guess that avoids most regrowth: 16 bytes per seen event and ~60 per proposal.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(
                4096 + 16 * study.seenEventIds().size() + 64 * study.lineage().size());
        try (Out out = new Out(new DataOutputStream(bytes))) {
            out.data.writeInt(MAGIC);
            out.data.writeInt(FORMAT_VERSION);
            writeStudy(out, study);
            writeStrategy(out, strategy);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory stream", e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if the bytes are not a snapshot of {@link #FORMAT_VERSION} */
    public static Snapshot decode(byte[] bytes) {
        In in = new In(ByteBuffer.wrap(bytes));
        try {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a study snapshot");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("snapshot format " + version + ", this learner reads "
                        + FORMAT_VERSION);
            }
            StudyState study = readStudy(in);
            StrategyState strategy = readStrategy(in);
            if (in.remaining() > 0) {
                throw new IllegalArgumentException("trailing bytes after the snapshot");
            }
            return new Snapshot(study, strategy);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException invalid && invalid.getCause() == null) {
                throw invalid;
            }
            throw new IllegalArgumentException("unreadable snapshot: " + e, e);
        }
    }

    // The study, part by part in record order (StudyState's components), each part field by field.
    private static void writeStudy(Out out, StudyState s) throws IOException {
        writeSpec(out, s.spec());
        writeProgress(out, s.progress());
        writeRequests(out, s.requests());
        writeResults(out, s.results());
        writeGovernance(out, s.governance());
        writeModelUse(out, s.modelUse());
        writeApplied(out, s.applied());
    }

    private static void writeSpec(Out out, StudySpec s) throws IOException {
        out.string(s.studyId());
        out.nullableUuid(s.createdEventId());
        out.flag(s.objective() != null);
        if (s.objective() != null) {
            out.string(s.objective().metric());
            out.string(s.objective().direction().name());
            out.nullableDouble(s.objective().target());
        }
        out.flag(s.budget() != null);
        if (s.budget() != null) {
            out.data.writeInt(s.budget().maxExperiments());
            out.data.writeLong(s.budget().maxWallSeconds());
            out.data.writeInt(s.budget().parallelism());
            ModelBudget model = s.budget().model();
            out.flag(model != null);
            if (model != null) {
                out.nullableLong(model.maxCalls());
                out.nullableLong(model.maxTokens());
                out.nullableDouble(model.maxCostUsd());
            }
        }
        out.string(s.strategy());
        out.data.writeLong(s.seed());
        out.instant(s.startedAt());
        out.string(s.team());
        out.string(s.name());
        out.string(s.createdBy());
        out.string(s.promotion() == null ? null : s.promotion().name());
        ForkOrigin origin = s.origin();
        out.flag(origin != null);
        if (origin != null) {
            out.string(origin.studyId());
            out.data.writeLong(origin.atSequence());
            out.nullableUuid(origin.championProposalId());
            out.nullableDouble(origin.championValue());
            out.data.writeInt(origin.inherited());
            out.data.writeInt(origin.omitted());
        }
        out.map(s.strategyOptions());
    }

    private static void writeProgress(Out out, StudyProgress p) throws IOException {
        out.string(p.status().name());
        out.string(p.completionReason());
        out.data.writeInt(p.proposals());
        out.data.writeInt(p.proposalsRejected());
        out.data.writeInt(p.experimentsStarted());
        out.data.writeInt(p.experimentsCompleted());
        out.data.writeInt(p.experimentsFailed());
        out.data.writeInt(p.evaluations());
        out.data.writeInt(p.invalidEvaluations());
        out.data.writeInt(p.resumes());
    }

    private static void writeRequests(Out out, StudyRequests r) throws IOException {
        out.count(r.inFlight().size());
        for (UUID id : r.inFlight()) {
            out.uuid(id);
        }
        out.data.writeInt(r.proposalsRequested());
        out.data.writeLong(r.strategyRevision());
        ResolvedOrdinals resolved = r.resolvedOrdinals();
        out.data.writeInt(resolved.below());
        out.count(resolved.beyond().size());
        for (int ordinal : resolved.beyond()) {
            out.data.writeInt(ordinal);
        }
        out.count(resolved.unplaced().size());
        for (Map.Entry<UUID, ResolvedOrdinals.Result> e : resolved.unplaced().entrySet()) {
            out.uuid(e.getKey());
            out.string(e.getValue().verdict() == null ? null : e.getValue().verdict().name());
            out.nullableDouble(e.getValue().value());
        }
    }

    private static void writeResults(Out out, StudyResults s) throws IOException {
        out.nullableDouble(s.bestValue());
        out.nullableUuid(s.championProposalId());
        out.count(s.championHistory().size());
        for (ChampionEntry c : s.championHistory()) {
            out.uuid(c.proposalId());
            out.uuid(c.evaluationId());
            out.data.writeDouble(c.value());
            out.data.writeLong(c.sequence());
            out.nullableUuid(c.previousProposalId());
            out.instant(c.at());
            writeEvidence(out, c.evidence());
            out.nullableUuid(c.causationId());
            out.string(c.approvedBy());
        }
        out.count(s.lineage().size());
        for (Lineage l : s.lineage().values()) {
            out.uuid(l.proposalId());
            out.data.writeInt(l.ordinal());
            out.string(l.operator());
            out.count(l.parents().size());
            for (UUID parent : l.parents()) {
                out.uuid(parent);
            }
            out.map(l.parameters());
            out.string(l.verdict() == null ? null : l.verdict().name());
            out.nullableDouble(l.value());
            out.string(l.inheritedFrom());
        }
        out.count(s.archive().size());
        for (Elite e : s.archive()) {
            out.uuid(e.proposalId());
            out.data.writeDouble(e.value());
            out.string(e.operator());
            out.data.writeLong(e.sequence());
        }
        out.count(s.observations().size());
        for (Observation o : s.observations()) {
            out.uuid(o.proposalId());
            out.data.writeInt(o.ordinal());
            out.string(o.operator());
            out.map(o.parameters());
            out.nullableDouble(o.value());
        }
    }

    private static void writeGovernance(Out out, StudyGovernance g) throws IOException {
        out.count(g.controls().size());
        for (Control c : g.controls()) {
            out.string(c.action().name());
            out.string(c.by());
            out.string(c.reason());
            out.instant(c.at());
            out.nullableUuid(c.eventId());
            out.nullableUuid(c.proposalId());
        }
        out.count(g.pendingApprovals().size());
        for (PendingApproval p : g.pendingApprovals()) {
            out.nullableUuid(p.proposalId());
            out.nullableUuid(p.evaluationId());
            out.data.writeDouble(p.value());
            out.instant(p.requestedAt());
            out.nullableUuid(p.comparedWith());
        }
        out.count(g.candidates().size());
        for (Candidate c : g.candidates()) {
            out.nullableUuid(c.proposalId());
            out.nullableUuid(c.evaluationId());
            writeEvidence(out, c.evidence());
        }
    }

    private static void writeModelUse(Out out, ModelUse u) throws IOException {
        ModelSpend spend = u.spend();
        out.data.writeLong(spend.calls());
        out.data.writeLong(spend.failedCalls());
        out.data.writeLong(spend.replayedCalls());
        out.data.writeLong(spend.tokensIn());
        out.data.writeLong(spend.tokensOut());
        out.data.writeDouble(spend.costUsd());
        out.count(u.proposals().size());
        for (Map.Entry<UUID, ProposalOutcome> e : u.proposals().entrySet()) {
            out.uuid(e.getKey());
            out.data.writeInt(e.getValue().calls());
            out.data.writeDouble(e.getValue().costUsd());
            out.string(e.getValue().tree());
            out.string(e.getValue().output());
            out.string(e.getValue().failure());
            out.data.writeInt(e.getValue().ordinal());
            out.string(e.getValue().operator());
            out.string(e.getValue().refusal());
        }
    }

    private static void writeApplied(Out out, AppliedEvents a) throws IOException {
        out.data.writeLong(a.eventsApplied());
        out.count(a.seenEventIds().size());
        for (UUID id : a.seenEventIds()) {
            out.uuid(id);
        }
    }

    // The readers below lean on Java evaluating arguments left to right: each constructor call reads its
    // fields in the order they were written.
    private static StudyState readStudy(In in) {
        return new StudyState(readSpec(in), readProgress(in), readRequests(in), readResults(in), readGovernance(in),
                readModelUse(in), readApplied(in));
    }

    private static StudySpec readSpec(In in) {
        String studyId = in.string();
        UUID createdEventId = in.nullableUuid();
        Objective objective = in.flag()
                ? new Objective(in.string(), Direction.valueOf(in.string()), in.nullableDouble()) : null;
        Budget budget = in.flag() ? new Budget(in.readInt(), in.readLong(), in.readInt(),
                in.flag() ? new ModelBudget(in.nullableLong(), in.nullableLong(), in.nullableDouble()) : null) : null;
        String strategy = in.string();
        long seed = in.readLong();
        Instant startedAt = in.instant();
        String team = in.string();
        String name = in.string();
        String createdBy = in.string();
        String promotion = in.string();
        ForkOrigin origin = in.flag() ? new ForkOrigin(in.string(), in.readLong(), in.nullableUuid(),
                in.nullableDouble(), in.readInt(), in.readInt()) : null;
        Map<String, String> strategyOptions = new LinkedHashMap<>();
        in.map().forEach((key, value) -> strategyOptions.put(key, (String) value));
        return new StudySpec(studyId, createdEventId, objective, budget, strategy, seed, startedAt, team, name,
                createdBy, promotion == null ? null : PromotionPolicy.valueOf(promotion), origin, strategyOptions);
    }

    private static StudyProgress readProgress(In in) {
        return new StudyProgress(StudyStatus.valueOf(in.string()), in.string(), in.readInt(), in.readInt(),
                in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
    }

    private static StudyRequests readRequests(In in) {
        LinkedHashSet<UUID> inFlight = new LinkedHashSet<>();
        for (int i = in.count(); i > 0; i--) {
            inFlight.add(in.uuid());
        }
        int proposalsRequested = in.readInt();
        long strategyRevision = in.readLong();
        int below = in.readInt();
        List<Integer> beyond = in.list(in::readInt);
        LinkedHashMap<UUID, ResolvedOrdinals.Result> unplaced = new LinkedHashMap<>();
        for (int i = in.count(); i > 0; i--) {
            unplaced.put(in.uuid(), new ResolvedOrdinals.Result(verdict(in.string()), in.nullableDouble()));
        }
        return new StudyRequests(inFlight, proposalsRequested, strategyRevision,
                new ResolvedOrdinals(below, beyond, unplaced));
    }

    private static StudyResults readResults(In in) {
        Double bestValue = in.nullableDouble();
        UUID championProposalId = in.nullableUuid();
        List<ChampionEntry> championHistory = in.list(() -> new ChampionEntry(in.uuid(), in.uuid(),
                in.readDouble(), in.readLong(), in.nullableUuid(), in.instant(), readEvidence(in),
                in.nullableUuid(), in.string()));
        int lineageCount = in.count();
        LinkedHashMap<UUID, Lineage> lineage = LinkedHashMap.newLinkedHashMap(Math.min(lineageCount, in.remaining()));
        for (int i = lineageCount; i > 0; i--) {
            Lineage l = new Lineage(in.uuid(), in.readInt(), in.string(),
                    in.list(() -> shared(lineage, in.uuid())), in.map(), verdict(in.string()), in.nullableDouble(),
                    in.string());
            lineage.put(l.proposalId(), l);
        }
        List<Elite> archive = in.list(() -> new Elite(in.uuid(), in.readDouble(), in.string(),
                in.readLong()));
        List<Observation> observations = in.list(() -> new Observation(in.uuid(), in.readInt(), in.string(),
                in.map(), in.nullableDouble()));
        return new StudyResults(bestValue, championProposalId, championHistory, lineage, archive, observations);
    }

    private static StudyGovernance readGovernance(In in) {
        List<Control> controls = in.list(() -> new Control(ControlAction.valueOf(in.string()), in.string(),
                in.string(), in.instant(), in.nullableUuid(), in.nullableUuid()));
        List<PendingApproval> pending = in.list(() -> new PendingApproval(in.nullableUuid(), in.nullableUuid(),
                in.readDouble(), in.instant(), in.nullableUuid()));
        List<Candidate> candidates = in.list(() -> new Candidate(in.nullableUuid(), in.nullableUuid(),
                readEvidence(in)));
        return new StudyGovernance(controls, pending, candidates);
    }

    private static ModelUse readModelUse(In in) {
        ModelSpend spend = new ModelSpend(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readDouble());
        LinkedHashMap<UUID, ProposalOutcome> proposals = new LinkedHashMap<>();
        for (int i = in.count(); i > 0; i--) {
            proposals.put(in.uuid(), new ProposalOutcome(in.readInt(), in.readDouble(), in.string(), in.string(),
                    in.string(), in.readInt(), in.string(), in.string()));
        }
        return new ModelUse(spend, proposals);
    }

    private static AppliedEvents readApplied(In in) {
        long eventsApplied = in.readLong();
        int seenCount = in.count();
        if (seenCount > in.remaining() / 16) {
            throw new IllegalArgumentException(seenCount + " seen ids cannot fit in what is left of the snapshot");
        }
        long[] halves = new long[2 * seenCount];
        for (int i = 0; i < halves.length; i++) {
            halves[i] = in.readLong();
        }
        return new AppliedEvents(eventsApplied, EventIdSet.ofDistinct(halves));
    }

    /** A parent id as the instance its own entry holds, as the fold keeps them (StudyResults.Builder.sharedParents). */
    private static UUID shared(Map<UUID, Lineage> lineage, UUID parent) {
        Lineage known = lineage.get(parent);
        return known == null ? parent : known.proposalId();
    }

    private static Verdict verdict(String name) {
        return name == null ? null : Verdict.valueOf(name);
    }

    private static void writeEvidence(Out out, Evidence e) throws IOException {
        out.flag(e != null);
        if (e != null) {
            out.string(e.reason());
            out.nullableDouble(e.mean());
            out.nullableDouble(e.ciLow());
            out.nullableDouble(e.ciHigh());
            out.flag(e.repeats() != null);
            if (e.repeats() != null) {
                out.data.writeInt(e.repeats());
            }
            out.nullableDouble(e.pValue());
            out.flag(e.validationPassed());
            out.nullableDouble(e.heldOutValue());
        }
    }

    private static Evidence readEvidence(In in) {
        if (!in.flag()) {
            return null;
        }
        return new Evidence(in.string(), in.nullableDouble(), in.nullableDouble(), in.nullableDouble(),
                in.flag() ? in.readInt() : null, in.nullableDouble(), in.flag(), in.nullableDouble());
    }

    private static void writeStrategy(Out out, StrategyState s) throws IOException {
        out.data.writeDouble(s.settings().prior().alpha());
        out.data.writeDouble(s.settings().prior().beta());
        out.data.writeInt(s.settings().stagnationLimit());
        out.data.writeInt(s.settings().draws());
        out.count(s.settings().defaultOperators().size());
        for (String op : s.settings().defaultOperators()) {
            out.string(op);
        }
        out.count(s.posteriors().size());
        for (Map.Entry<String, BetaPosterior> p : s.posteriors().entrySet()) {
            out.string(p.getKey());
            out.data.writeDouble(p.getValue().alpha());
            out.data.writeDouble(p.getValue().beta());
        }
        out.data.writeInt(s.stagnation());
        out.data.writeInt(s.restarts());
        out.data.writeInt(s.updates());
        out.flag(s.improved());
        out.flag(s.restarted());
        out.count(s.operatorWeights().size());
        for (Map.Entry<String, Double> w : s.operatorWeights().entrySet()) {
            out.string(w.getKey());
            out.data.writeDouble(w.getValue());
        }
    }

    private static StrategyState readStrategy(In in) {
        StrategySettings settings = new StrategySettings(new BetaPosterior(in.readDouble(), in.readDouble()),
                in.readInt(), in.readInt(), in.list(in::string));
        TreeMap<String, BetaPosterior> posteriors = new TreeMap<>();
        for (int i = in.count(); i > 0; i--) {
            posteriors.put(in.string(), new BetaPosterior(in.readDouble(), in.readDouble()));
        }
        int stagnation = in.readInt();
        int restarts = in.readInt();
        int updates = in.readInt();
        boolean improved = in.flag();
        boolean restarted = in.flag();
        LinkedHashMap<String, Double> weights = new LinkedHashMap<>();
        for (int i = in.count(); i > 0; i--) {
            weights.put(in.string(), in.readDouble());
        }
        return new StrategyState(settings, posteriors, stagnation, restarts, updates, improved, restarted, weights);
    }

    /** The writing side: a data stream plus the table of strings written so far. */
    private static final class Out implements AutoCloseable {
        final DataOutputStream data;
        private final Map<String, Integer> strings = new HashMap<>();

        Out(DataOutputStream data) {
            this.data = data;
        }

        void flag(boolean value) throws IOException {
            data.writeBoolean(value);
        }

        /** Unsigned LEB128: most counts fit one byte. */
        void count(int value) throws IOException {
            int v = value;
            while ((v & ~0x7F) != 0) {
                data.writeByte((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            data.writeByte(v);
        }

        /** 0 for null, the table index + 1 for a string written before, the next index + 1 and its bytes otherwise. */
        void string(String value) throws IOException {
            if (value == null) {
                count(0);
                return;
            }
            Integer known = strings.get(value);
            if (known != null) {
                count(known + 1);
                return;
            }
            strings.put(value, strings.size());
            count(strings.size());
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            count(utf8.length);
            data.write(utf8);
        }

        void uuid(UUID id) throws IOException {
            data.writeLong(id.getMostSignificantBits());
            data.writeLong(id.getLeastSignificantBits());
        }

        void nullableUuid(UUID id) throws IOException {
            flag(id != null);
            if (id != null) {
                uuid(id);
            }
        }

        void nullableLong(Long value) throws IOException {
            flag(value != null);
            if (value != null) {
                data.writeLong(value);
            }
        }

        void nullableDouble(Double value) throws IOException {
            flag(value != null);
            if (value != null) {
                data.writeDouble(value);
            }
        }

        void instant(Instant value) throws IOException {
            flag(value != null);
            if (value != null) {
                data.writeLong(value.getEpochSecond());
                data.writeInt(value.getNano());
            }
        }

        void map(Map<?, ?> map) throws IOException {
            count(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                string((String) e.getKey());
                value(e.getValue());
            }
        }

        void value(Object value) throws IOException {
            switch (value) {
                case null -> data.writeByte(NULL);
                case Boolean b -> data.writeByte(b ? TRUE : FALSE);
                case Integer i -> {
                    data.writeByte(INT);
                    data.writeInt(i);
                }
                case Long l -> {
                    data.writeByte(LONG);
                    data.writeLong(l);
                }
                case Double d -> {
                    data.writeByte(DOUBLE);
                    data.writeDouble(d);
                }
                case Float f -> {
                    data.writeByte(FLOAT);
                    data.writeFloat(f);
                }
                case String s -> {
                    data.writeByte(STRING);
                    string(s);
                }
                case BigInteger b -> {
                    data.writeByte(BIG_INTEGER);
                    string(b.toString());
                }
                case BigDecimal b -> {
                    data.writeByte(BIG_DECIMAL);
                    string(b.toString());
                }
                case List<?> list -> {
                    data.writeByte(LIST);
                    count(list.size());
                    for (Object item : list) {
                        value(item);
                    }
                }
                case Map<?, ?> map -> {
                    data.writeByte(MAP);
                    map(map);
                }
                default -> throw new IllegalArgumentException("a snapshot cannot hold a parameter value of type "
                        + value.getClass().getName());
            }
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }

    /**
     * The reading side, with the same string table. Over a {@link ByteBuffer} (big-endian, as
     * {@link DataOutputStream} writes): a snapshot is millions of small reads, which a stream would synchronize.
     */
    private static final class In {
        private final ByteBuffer data;
        private final List<String> strings = new ArrayList<>();

        In(ByteBuffer data) {
            this.data = data;
        }

        int remaining() {
            return data.remaining();
        }

        boolean flag() {
            return data.get() != 0;
        }

        int readInt() {
            return data.getInt();
        }

        long readLong() {
            return data.getLong();
        }

        double readDouble() {
            return data.getDouble();
        }

        float readFloat() {
            return data.getFloat();
        }

        int readUnsignedByte() {
            return data.get() & 0xFF;
        }

        int count() {
            int value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = readUnsignedByte();
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (value < 0) {
                        break;
                    }
                    return value;
                }
            }
            throw new IllegalArgumentException("malformed count");
        }

        String string() {
            int ref = count();
            if (ref == 0) {
                return null;
            }
            if (ref <= strings.size()) {
                return strings.get(ref - 1);
            }
            if (ref != strings.size() + 1) {
                throw new IllegalArgumentException("string reference " + ref + " beyond the table");
            }
            int length = count();
            if (length > data.remaining()) {
                throw new IllegalArgumentException("string longer than the snapshot");
            }
            String value = new String(data.array(), data.arrayOffset() + data.position(), length,
                    StandardCharsets.UTF_8);
            data.position(data.position() + length);
            strings.add(value);
            return value;
        }

        UUID uuid() {
            return new UUID(data.getLong(), data.getLong());
        }

        UUID nullableUuid() {
            return flag() ? uuid() : null;
        }

        Long nullableLong() {
            return flag() ? readLong() : null;
        }

        Double nullableDouble() {
            return flag() ? data.getDouble() : null;
        }

        Instant instant() {
            return flag() ? Instant.ofEpochSecond(data.getLong(), data.getInt()) : null;
        }

        <T> List<T> list(Supplier<T> item) {
            int size = count();
            List<T> out = new ArrayList<>(Math.min(size, 1024));
            for (int i = 0; i < size; i++) {
                out.add(item.get());
            }
            return out;
        }

        Map<String, Object> map() {
            int size = count();
            Map<String, Object> out = LinkedHashMap.newLinkedHashMap(Math.min(size, data.remaining()));
            for (int i = 0; i < size; i++) {
                out.put(string(), value());
            }
            return out;
        }

        Object value() {
            int tag = readUnsignedByte();
            return switch (tag) {
                case NULL -> null;
                case FALSE -> Boolean.FALSE;
                case TRUE -> Boolean.TRUE;
                case INT -> data.getInt();
                case LONG -> data.getLong();
                case DOUBLE -> data.getDouble();
                case FLOAT -> data.getFloat();
                case STRING -> string();
                case BIG_INTEGER -> new BigInteger(string());
                case BIG_DECIMAL -> new BigDecimal(string());
                case LIST -> list(this::value);
                case MAP -> map();
                default -> throw new IllegalArgumentException("unknown value tag " + tag);
            };
        }
    }
}
