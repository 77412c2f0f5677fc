package dev.seedloop.learner.projection.application;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.seedloop.learner.domain.BetaPosterior;
import dev.seedloop.learner.domain.Candidate;
import dev.seedloop.learner.domain.ChampionEntry;
import dev.seedloop.learner.domain.Control;
import dev.seedloop.learner.domain.Elite;
import dev.seedloop.learner.domain.Evidence;
import dev.seedloop.learner.domain.LearnerState;
import dev.seedloop.learner.domain.Lineage;
import dev.seedloop.learner.domain.ModelUse;
import dev.seedloop.learner.domain.PendingApproval;
import dev.seedloop.learner.domain.StrategyState;
import dev.seedloop.learner.domain.StudyState;
import dev.seedloop.learner.query.domain.StudyViews;
import dev.seedloop.learner.domain.WireNames;

/**
 * Canonical JSON of the learner's state (a codec: it lives beside the projections, not in {@code domain}), for comparing a replay with the live run byte for byte
 * and for inspection. Fields appear in record declaration order, collections in their state order
 * (arrival order, or sorted where the state is sorted); doubles use Java's shortest round-trip
 * form. The seen event ids appear as their count and SHA-256 (see {@link dev.seedloop.learner.domain.EventIdSet#sha256()}). Written by hand rather than by reflection so that adding a method to a record can never
 * change the bytes.
 */
public final class StateJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private StateJson() {
    }

    public static String write(LearnerState state) {
        return write(state.study(), state.strategy());
    }

    public static String write(StudyState study, StrategyState strategy) {
        return write(study, strategy, Integer.MAX_VALUE);
    }

    /**
     * The same with only the latest {@code lineageNodes} lineage entries (all of them are counted in
     * {@code lineageTotal}), for answers that must stay small.
     */
    public static String write(StudyState study, StrategyState strategy, int lineageNodes) {
        ObjectNode root = MAPPER.createObjectNode();
        root.set("study", study(study, lineageNodes));
        root.set("strategy", strategy(strategy));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("state is always serializable", e);
        }
    }

    private static ObjectNode study(StudyState s, int lineageNodes) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("studyId", s.studyId());
        n.put("team", s.team());
        n.put("name", s.name());
        n.put("createdBy", s.createdBy());
        n.put("promotion", WireNames.of(s.promotion()));
        n.put("createdEventId", str(s.createdEventId()));
        n.put("status", s.status().name());
        if (s.objective() == null) {
            n.putNull("objective");
        } else {
            ObjectNode o = n.putObject("objective");
            o.put("metric", s.objective().metric());
            o.put("direction", s.objective().direction().name());
            o.put("target", s.objective().target());
        }
        if (s.budget() == null) {
            n.putNull("budget");
        } else {
            ObjectNode b = n.putObject("budget");
            b.put("maxExperiments", s.budget().maxExperiments());
            b.put("maxWallSeconds", s.budget().maxWallSeconds());
            b.put("parallelism", s.budget().parallelism());
            // Written only when set, like the model use below: a study without language models keeps the bytes
            // it had before issue #13.
            if (s.budget().model() != null) {
                ObjectNode m = b.putObject("model");
                m.put("maxCalls", s.budget().model().maxCalls());
                m.put("maxTokens", s.budget().model().maxTokens());
                m.put("maxCostUsd", s.budget().model().maxCostUsd());
            }
        }
        n.put("strategy", s.strategy());
        if (!s.spec().strategyOptions().isEmpty()) {
            n.set("strategyOptions", MAPPER.valueToTree(new java.util.TreeMap<>(s.spec().strategyOptions())));
        }
        n.put("seed", s.seed());
        n.put("startedAt", s.startedAt() == null ? null : s.startedAt().toString());
        n.put("eventsApplied", s.eventsApplied());
        // The ids themselves are the study's stored event ids, as long as its log; their digest still
        // proves that two folds saw the same events in the same order.
        ObjectNode seen = n.putObject("seenEventIds");
        seen.put("count", s.seenEventIds().size());
        seen.put("sha256", s.seenEventIds().sha256());
        n.put("proposals", s.proposals());
        n.put("proposalsRejected", s.proposalsRejected());
        n.put("experimentsStarted", s.experimentsStarted());
        n.put("experimentsCompleted", s.experimentsCompleted());
        n.put("experimentsFailed", s.experimentsFailed());
        n.put("evaluations", s.evaluations());
        n.put("invalidEvaluations", s.invalidEvaluations());
        n.put("resumes", s.resumes());
        n.put("strategyRevision", s.strategyRevision());
        ArrayNode inFlight = n.putArray("inFlight");
        s.inFlight().forEach(id -> inFlight.add(id.toString()));
        n.put("bestValue", s.bestValue());
        n.put("championProposalId", str(s.championProposalId()));
        ArrayNode history = n.putArray("championHistory");
        for (ChampionEntry c : s.championHistory()) {
            ObjectNode e = history.addObject();
            e.put("proposalId", c.proposalId().toString());
            e.put("evaluationId", c.evaluationId().toString());
            e.put("value", c.value());
            e.put("sequence", c.sequence());
            e.put("previousProposalId", str(c.previousProposalId()));
            e.put("at", str(c.at()));
            e.set("evidence", evidence(c.evidence()));
            e.put("causationId", str(c.causationId()));
            e.put("approvedBy", c.approvedBy());
        }
        n.put("lineageTotal", s.lineage().size());
        ArrayNode lineage = n.putArray("lineage");
        int skip = Math.max(0, s.lineage().size() - lineageNodes);
        for (Lineage l : s.lineage().values()) {
            if (skip > 0) {
                skip--;
                continue;
            }
            ObjectNode e = lineage.addObject();
            e.put("proposalId", l.proposalId().toString());
            e.put("ordinal", l.ordinal());
            e.put("operator", l.operator());
            ArrayNode parents = e.putArray("parents");
            l.parents().forEach(p -> parents.add(p.toString()));
            e.put("verdict", WireNames.of(l.verdict()));
            e.put("value", l.value());
            e.put("inheritedFrom", l.inheritedFrom());
        }
        ArrayNode archive = n.putArray("archive");
        for (Elite el : s.archive()) {
            ObjectNode e = archive.addObject();
            e.put("proposalId", el.proposalId().toString());
            e.put("value", el.value());
            e.put("operator", el.operator());
            e.put("sequence", el.sequence());
        }
        n.put("completionReason", s.completionReason());
        n.put("proposalsRequested", s.proposalsRequested());
        ArrayNode observations = n.putArray("observations");
        for (var o : s.observations()) {
            ObjectNode e = observations.addObject();
            e.put("proposalId", o.proposalId().toString());
            e.put("ordinal", o.ordinal());
            e.put("operator", o.operator());
            e.set("parameters", MAPPER.valueToTree(o.parameters()));
            if (o.value() == null) {
                e.putNull("value");
            } else {
                e.put("value", o.value());
            }
        }
        ArrayNode controls = n.putArray("controls");
        for (Control c : s.controls()) {
            ObjectNode e = controls.addObject();
            e.put("action", WireNames.of(c.action()));
            e.put("by", c.by());
            e.put("reason", c.reason());
            e.put("at", str(c.at()));
            e.put("eventId", str(c.eventId()));
            e.put("proposalId", str(c.proposalId()));
        }
        ArrayNode pending = n.putArray("pendingApprovals");
        for (PendingApproval p : s.pendingApprovals()) {
            ObjectNode e = pending.addObject();
            e.put("proposalId", str(p.proposalId()));
            e.put("evaluationId", str(p.evaluationId()));
            e.put("value", p.value());
            e.put("requestedAt", str(p.requestedAt()));
            e.put("comparedWith", str(p.comparedWith()));
        }
        ArrayNode candidates = n.putArray("candidates");
        for (Candidate c : s.candidates()) {
            ObjectNode e = candidates.addObject();
            e.put("proposalId", str(c.proposalId()));
            e.put("evaluationId", str(c.evaluationId()));
            e.set("evidence", evidence(c.evidence()));
        }
        n.set("origin", s.origin() == null ? null : MAPPER.valueToTree(StudyViews.origin(s.origin())));
        ObjectNode resolved = n.putObject("resolvedOrdinals");
        resolved.put("below", s.resolvedOrdinals().below());
        ArrayNode beyond = resolved.putArray("beyond");
        s.resolvedOrdinals().beyond().forEach(beyond::add);
        ObjectNode unplaced = resolved.putObject("unplaced");
        s.resolvedOrdinals().unplaced().forEach((id, r) -> {
            ObjectNode e = unplaced.putObject(id.toString());
            e.put("verdict", WireNames.of(r.verdict()));
            e.put("value", r.value());
        });
        if (!s.modelUse().isEmpty()) {
            n.set("modelUse", modelUse(s.modelUse()));
        }
        return n;
    }

    private static ObjectNode modelUse(ModelUse u) {
        ObjectNode n = MAPPER.createObjectNode();
        ObjectNode spend = n.putObject("spend");
        spend.put("calls", u.spend().calls());
        spend.put("failedCalls", u.spend().failedCalls());
        spend.put("replayedCalls", u.spend().replayedCalls());
        spend.put("tokensIn", u.spend().tokensIn());
        spend.put("tokensOut", u.spend().tokensOut());
        spend.put("costUsd", u.spend().costUsd());
        ObjectNode proposals = n.putObject("proposals");
        u.proposals().forEach((id, o) -> {
            ObjectNode e = proposals.putObject(id.toString());
            e.put("calls", o.calls());
            e.put("costUsd", o.costUsd());
            e.put("tree", o.tree());
            e.put("output", o.output());
            e.put("failure", o.failure());
            e.put("ordinal", o.ordinal());
            e.put("operator", o.operator());
            e.put("refusal", o.refusal());
        });
        return n;
    }

    private static ObjectNode evidence(Evidence ev) {
        if (ev == null) {
            return null;
        }
        ObjectNode e = MAPPER.createObjectNode();
        e.put("reason", ev.reason());
        e.put("mean", ev.mean());
        e.put("ciLow", ev.ciLow());
        e.put("ciHigh", ev.ciHigh());
        e.put("repeats", ev.repeats());
        e.put("pValue", ev.pValue());
        e.put("validationPassed", ev.validationPassed());
        e.put("heldOutValue", ev.heldOutValue());
        return e;
    }

    private static ObjectNode strategy(StrategyState s) {
        ObjectNode n = MAPPER.createObjectNode();
        ObjectNode settings = n.putObject("settings");
        settings.put("priorAlpha", s.settings().prior().alpha());
        settings.put("priorBeta", s.settings().prior().beta());
        settings.put("stagnationLimit", s.settings().stagnationLimit());
        settings.put("draws", s.settings().draws());
        ArrayNode defaults = settings.putArray("defaultOperators");
        s.settings().defaultOperators().forEach(defaults::add);
        ObjectNode posteriors = n.putObject("posteriors");
        for (Map.Entry<String, BetaPosterior> e : s.posteriors().entrySet()) {
            ObjectNode p = posteriors.putObject(e.getKey());
            p.put("alpha", e.getValue().alpha());
            p.put("beta", e.getValue().beta());
        }
        n.put("stagnation", s.stagnation());
        n.put("restarts", s.restarts());
        n.put("updates", s.updates());
        n.put("improved", s.improved());
        n.put("restarted", s.restarted());
        ObjectNode weights = n.putObject("operatorWeights");
        s.operatorWeights().forEach(weights::put);
        return n;
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }
}
