package dev.seedloop.artifacts;

import java.util.Objects;

/**
 * A language model's answer as it was recorded: which configured model ({@code model}, the operator's name) and vendor
 * model ({@code modelId}) answered which stored prompt ({@code promptHash}) with which stored answer
 * ({@code answerHash}), and the tokens the call used. Both hashes name blobs in the {@link ArtifactStore}.
 */
public record RecordedAnswer(String model, String modelId, String promptHash, String answerHash, long tokensIn,
                             long tokensOut) {

    public RecordedAnswer {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(promptHash, "promptHash");
        Objects.requireNonNull(answerHash, "answerHash");
        if (tokensIn < 0 || tokensOut < 0) {
            throw new IllegalArgumentException("token counts are never negative: " + tokensIn + ", " + tokensOut);
        }
    }
}
