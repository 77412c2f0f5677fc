package dev.seedloop.cli;

/** {@code --output}: for people, or the gateway's JSON for scripts. */
public enum OutputFormat { TEXT, JSON }
