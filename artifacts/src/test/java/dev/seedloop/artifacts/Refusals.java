package dev.seedloop.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

/** Asserts a refusal and its reason. */
final class Refusals {

    private Refusals() {
    }

    static ArtifactRejectedException refused(Reason reason, ThrowingCallable call) {
        ArtifactRejectedException e = catchThrowableOfType(ArtifactRejectedException.class, call);
        assertThat(e).as("refused with %s", reason).isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(e.getMessage()).isNotBlank();
        return e;
    }
}
