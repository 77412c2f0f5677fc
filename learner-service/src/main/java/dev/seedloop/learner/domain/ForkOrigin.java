package dev.seedloop.learner.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.seedloop.events.EventLimits;
import dev.seedloop.events.StudyOrigin;

/**
 * What a fork's state remembers of its origin (the inherited proposals themselves are in its lineage and
 * observations), and the rule that makes an origin from a source study's state.
 */
public record ForkOrigin(String studyId, long atSequence, UUID championProposalId, Double championValue,
                         int inherited, int omitted) {

    static ForkOrigin of(StudyOrigin origin) {
        return new ForkOrigin(origin.studyId(), origin.atSequence(), origin.championProposalId(),
                origin.championValue(), origin.proposals().size(), origin.proposalsOmitted());
    }

    /**
     * The most bytes the inherited proposals may take as JSON: the origin travels inside the fork's StudyCreated,
     * beside its spec, so it keeps to half of the largest event anyone may publish.
     */
    public static final int MAX_INHERITED_BYTES = EventLimits.MAX_EVENT_BYTES / 2;

    /**
     * What a fork of {@code source} (folded up to study sequence {@code atSequence}) inherits: its evaluated
     * proposals in the order they were made, the latest {@link StudyOrigin#MAX_INHERITED} of them that fit
     * {@link #MAX_INHERITED_BYTES}, and its champion then. Proposals still in flight at that point are not
     * inherited: nothing was known of them yet.
     */
    public static StudyOrigin from(StudyState source, long atSequence, EncodedSize sizes) {
        List<StudyOrigin.Proposal> evaluated = new ArrayList<>();
        for (Lineage l : source.lineage().values()) {
            if (l.verdict() != null) {
                // A proposal of code carries the tree it ran, so the fork's proposals edit that code, not the seed's.
                evaluated.add(new StudyOrigin.Proposal(l.proposalId(), l.ordinal(), l.operator(), l.parents(),
                        l.parameters(), l.verdict(), l.value(), source.modelUse().of(l.proposalId()).tree()));
            }
        }
        List<StudyOrigin.Proposal> inherited = sizes.latestWithin(evaluated, StudyOrigin.MAX_INHERITED,
                MAX_INHERITED_BYTES);
        return new StudyOrigin(source.studyId(), atSequence, source.championProposalId(), source.bestValue(),
                inherited, evaluated.size() - inherited.size());
    }
}
