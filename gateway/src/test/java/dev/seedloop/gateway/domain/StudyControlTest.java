package dev.seedloop.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;

class StudyControlTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final UUID EVENT = UUID.fromString("0193f7c0-0000-7000-8000-000000000001");
    private static final UUID CANDIDATE = UUID.fromString("0193f7c0-0000-7000-8000-000000000002");

    private static EventEnvelope decide(StudyControl.Action action, String status, String reason, boolean pending) {
        return StudyControl.decide(action, "s-1", "team-a", status, "alice", reason, CANDIDATE, pending, NOW, EVENT);
    }

    @Test
    void interventionsRecordWhoAndWhyAndStartTheirOwnChain() {
        EventEnvelope halt = decide(StudyControl.Action.HALT, "running", "  wrong data  ", false);
        assertThat(halt.payload()).isEqualTo(new StudyHalted("alice", "wrong data"));
        assertThat(halt.causationId()).isNull();
        assertThat(halt.correlationId()).isEqualTo(EVENT);
        assertThat(halt.team()).isEqualTo("team-a");
        assertThat(decide(StudyControl.Action.PAUSE, "running", null, false).payload())
                .isEqualTo(new StudyPaused("alice", ""));
        assertThat(decide(StudyControl.Action.RESUME, "paused", null, false).payload())
                .isEqualTo(new StudyResumed("alice"));
    }

    @Test
    void onlyPendingCandidatesAreApprovedOrRejected() {
        assertThat(decide(StudyControl.Action.APPROVE, "running", "ok", true).payload())
                .isEqualTo(new PromotionApproved(CANDIDATE, "alice", "ok"));
        assertThat(decide(StudyControl.Action.REJECT, "running", "noise", true).payload())
                .isEqualTo(new PromotionRejected(CANDIDATE, "alice", "noise"));
        assertThatThrownBy(() -> decide(StudyControl.Action.APPROVE, "running", "ok", false))
                .isInstanceOf(StudyControl.Conflict.class).hasMessageContaining("not pending");
        assertThat(decide(StudyControl.Action.APPROVE, "completed", "after the budget ran out", true).payload())
                .isInstanceOf(PromotionApproved.class);
    }

    @Test
    void actionsThatContradictTheStudysStateAreConflicts() {
        assertThatThrownBy(() -> decide(StudyControl.Action.RESUME, "halted", null, false))
                .isInstanceOf(StudyControl.Conflict.class).hasMessage("the study is halted; it cannot be resumed any more");
        assertThatThrownBy(() -> decide(StudyControl.Action.HALT, "completed", null, false))
                .isInstanceOf(StudyControl.Conflict.class);
        assertThatThrownBy(() -> decide(StudyControl.Action.RESUME, "running", null, false))
                .isInstanceOf(StudyControl.Conflict.class).hasMessage("the study is running, not paused");
        assertThatThrownBy(() -> decide(StudyControl.Action.PAUSE, "paused", null, false))
                .isInstanceOf(StudyControl.Conflict.class);
    }
}
