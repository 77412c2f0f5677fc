package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.seedloop.events.Direction;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.Verdict;

/** Views spell enums as the contract's JSON does; a constant renamed there must not silently diverge here. */
class WireNamesTest {

    @Test
    void everyContractEnumUsedInViewsIsSpelledAsItsJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (Class<? extends Enum<?>> type : List.<Class<? extends Enum<?>>>of(Verdict.class, Direction.class,
                FailureReason.class, PromotionPolicy.class)) {
            for (Enum<?> constant : type.getEnumConstants()) {
                assertThat(WireNames.of(constant)).isEqualTo(json.writeValueAsString(constant).replace("\"", ""));
            }
        }
    }

    @Test
    void statusesRoundTripThroughTheirViewNamesExceptNew() {
        for (StudyStatus status : StudyStatus.values()) {
            assertThat(StudyStatus.fromView(WireNames.of(status)))
                    .isEqualTo(status == StudyStatus.NEW ? java.util.Optional.empty() : java.util.Optional.of(status));
        }
        assertThat(WireNames.of(ControlAction.APPROVED)).isEqualTo("approved");
    }
}
