package dev.seedloop.cli.client;

/**
 * A successful gateway answer: typed for text output, and the body exactly as received for
 * {@code --output json}, so scripts see the gateway's JSON and not our re-serialisation of it.
 */
public record Answer<T>(T value, String json) {
}
