package dev.seedloop.proposer.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.seedloop.artifacts.BlobRef;

/**
 * The stored form of a prompt and the key of a recorded answer (proposer-service/README.md, "Language models").
 *
 * <p>A prompt is stored as one UTF-8 text blob: {@code "seedloop-prompt-v1\n"}, then {@code "system <n>\n"}, the
 * system text, {@code "\n"}, then {@code "user <n>\n"}, the user text, {@code "\n"}, where {@code <n>} is the text's
 * length in UTF-8 bytes. The lengths make it unambiguous (any text may contain any line) while the blob stays readable
 * in a postmortem; the same system and user text always give the same blob and so the same hash.
 */
final class Prompts {

    private Prompts() {
    }

    static String stored(String system, String user) {
        return "seedloop-prompt-v1\n" + section("system", system) + section("user", user);
    }

    private static String section(String name, String text) {
        return name + " " + text.getBytes(StandardCharsets.UTF_8).length + "\n" + text + "\n";
    }

    /**
     * The key of a recorded answer: {@code sha256:} + hex SHA-256 over the fields, each written as its UTF-8 length,
     * {@code ':'} and its UTF-8 bytes (so no two field lists share an encoding): {@code "seedloop-recorded-answer-v1"},
     * team, model name, vendor model id, prompt hash, sample key, answer-token limit actually sent (decimal) and
     * temperature ({@link Double#toString}).
     */
    static String recordKey(String team, String model, String modelId, String promptHash, String sampleKey,
            int maxAnswerTokens, double temperature) {
        MessageDigest digest = sha256();
        for (String field : new String[] {"seedloop-recorded-answer-v1", team, model, modelId, promptHash, sampleKey,
                Integer.toString(maxAnswerTokens), Double.toString(temperature)}) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            digest.update(bytes);
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The prompt's blob as the artifact store names it ({@code sha256:} + hex SHA-256 of its UTF-8 bytes), computed
     * here so that a reply names its prompt even when no store could keep it (no model configured, the store down).
     */
    static BlobRef blobOf(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new BlobRef("sha256:" + HexFormat.of().formatHex(sha256().digest(bytes)), bytes.length);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform ships SHA-256.
            throw new IllegalStateException(e);
        }
    }

    /** A token count estimated from text when a server reports no usage: one token per 4 characters, rounded up. */
    static long estimatedTokens(String text) {
        return (text.length() + 3) / 4;
    }
}
