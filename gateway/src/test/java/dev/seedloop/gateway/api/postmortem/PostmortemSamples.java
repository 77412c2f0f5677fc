package dev.seedloop.gateway.api.postmortem;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.seedloop.queries.PostmortemView;
import dev.seedloop.queries.Views;

/** A halted study's postmortem with hostile text wherever experiments or people supply it. */
public final class PostmortemSamples {

    public static final String HOSTILE = "<script>alert('pwned')</script> & \"quotes\" | `ticks` [link](javascript:x)";
    public static final String STUDY = "0193f7c0-0000-7000-8000-00000000beef";
    public static final UUID CHAMPION = UUID.fromString("0193f7c0-0000-7000-8000-000000000001");
    public static final UUID SUSPECT = UUID.fromString("0193f7c0-0000-7000-8000-000000000004");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private PostmortemSamples() {
    }

    /** {@link #view()} as the postmortem of an llm study {@code studyId} that read {@code lastSequence} events. */
    public static PostmortemView llmView(String studyId, long lastSequence) {
        PostmortemView v = view();
        PostmortemView.Study s = v.study();
        return new PostmortemView(studyId, new PostmortemView.Study(s.name(), s.team(), s.status(), s.createdAt(),
                s.createdBy(), "llm", s.promotion(), s.metric(), s.direction(), s.target(), s.maxExperiments(),
                s.maxWallSeconds(), s.parallelism(), s.endedAt(), s.endReason(), s.lastEventAt(),
                s.championProposalId(), s.championValue(), s.forkedFrom(), s.forkedAt()), v.totals(), v.timeline(),
                v.lineage(), v.yields(), v.failures(), v.possibleRewardHacking(), v.queues(), v.interventions(),
                lastSequence);
    }

    public static PostmortemView view() {
        var compute = new PostmortemView.Compute(99_000, 92_000, 4096);
        return new PostmortemView(STUDY,
                new PostmortemView.Study("lr-sweep", "team-a", "halted", T0, "alice-researcher", "evolutionary",
                        "manual", "val_loss", "minimize", null, 20, 7200L, 2, T0.plusSeconds(400),
                        "halted by dave: " + HOSTILE, T0.plusSeconds(400), CHAMPION, 0.07, null, null),
                new PostmortemView.Totals(51, 9, 1, 8, 5, 3, 8, 5, 2, compute),
                List.of(new PostmortemView.TimelineEntry(1, T0, T0.plusMillis(100), "created",
                                "study 'lr-sweep' created", "alice-researcher"),
                        new PostmortemView.TimelineEntry(6, T0.plusSeconds(10), T0.plusSeconds(10), "new-failure",
                                "first crashed failure: " + HOSTILE, null)),
                List.of(new PostmortemView.Promotion(19, T0.plusSeconds(61), CHAMPION, null, UUID.randomUUID(),
                        UUID.randomUUID(), "evolutionary", "random", 0.08, null,
                        new Views.EvidenceView("first valid result", 0.08, 0.076, 0.084, 3, null, true, 0.085),
                        T0.plusSeconds(34), "bob", "looks right", T0.plusSeconds(60)),
                        new PostmortemView.Promotion(39, T0.plusSeconds(150), UUID.randomUUID(), CHAMPION,
                                UUID.randomUUID(), UUID.randomUUID(), "evolutionary", "mutate", 0.07, 0.08,
                                new Views.EvidenceView("improvement 0.01 is significant (Welch t=-5.2)", 0.07, 0.066,
                                        0.074, 3, 0.003, true, 0.075), null, null, null, null)),
                List.of(new PostmortemView.Yield("evolutionary", "mutate", 4, 0, 4, 2, 3, 1, 0.07,
                        new PostmortemView.Compute(34_000, 32_000, 2048))),
                new PostmortemView.Failures(
                        List.of(new PostmortemView.ReasonCount("crashed", 2, new PostmortemView.Compute(14_000, 12_000,
                                2048))),
                        List.of(new PostmortemView.FailureGroup("crashed", "3fa2c1d9e0b1",
                                "RuntimeError: <hex> ```", 2, T0.plusSeconds(10), T0.plusSeconds(40), "exit code 1",
                                "epoch 3/20\n" + HOSTILE + "\n```\n# not a heading", List.of(UUID.randomUUID())))),
                List.of(new PostmortemView.Suspect(28, T0.plusSeconds(91), "validation-failed", SUSPECT,
                        UUID.randomUUID(), UUID.randomUUID(), "mutate", 0.05, 0.08, 0.05, 0.085,
                        "validation failed: " + HOSTILE, HOSTILE)),
                List.of(new PostmortemView.StageQueue("implementer", "proposal created → experiment started", 8,
                                1875L, 2000L, 3000L, 3000L, 15_000, 0),
                        new PostmortemView.StageQueue("learner", "evaluation → decision", 0, null, null, null, null, 0,
                                3)),
                List.of(new PostmortemView.Intervention(18, T0.plusSeconds(60), "approved", "bob", "looks right",
                                CHAMPION),
                        new PostmortemView.Intervention(51, T0.plusSeconds(400), "halted", "dave", HOSTILE, null)),
                51);
    }
}
