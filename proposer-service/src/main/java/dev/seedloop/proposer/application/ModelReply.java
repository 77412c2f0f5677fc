package dev.seedloop.proposer.application;

/**
 * What came of a {@link ModelRequest}: the answer text (null when none came, then {@code failure} says why), the
 * stored prompt and answer ({@code sha256:} blob hashes in the artifact store), tokens, latency, cost in USD from the
 * operator's price table, HTTP attempts (retries included) and whether the answer was {@code replayed} from the record
 * of an earlier call (no model asked, nothing billed, latency zero; still priced, so arms weigh alike). Maps one to one onto a
 * {@code ModelCallCompleted} event.
 */
public record ModelReply(String text, String promptHash, long promptBytes, String answerHash, long answerBytes,
                         long tokensIn, long tokensOut, long latencyMillis, double costUsd, int attempts,
                         boolean replayed, String failure) {

    public ModelReply {
        if ((text == null) == (failure == null)) {
            throw new IllegalArgumentException("a reply has an answer or a failure, exactly one");
        }
    }

    public boolean answered() {
        return failure == null;
    }
}
