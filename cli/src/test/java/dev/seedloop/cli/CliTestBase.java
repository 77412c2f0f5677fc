package dev.seedloop.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that run {@code seedloop} in process against a {@link FakeGateway}: every test gets a fresh
 * gateway, an empty {@code SEEDLOOP_CONFIG_DIR} and its own {@link ManualTime}, and starts logged in as {@code alice} of
 * {@code team-a} ({@link CliRunner#loggedIn()}) unless the class asks for {@link Start#LOGGED_OUT}. A subclass adds
 * its own routes in its own {@code @BeforeEach}, which JUnit runs after this one.
 */
abstract class CliTestBase {

    /** Whether a test starts with saved credentials. */
    enum Start {
        LOGGED_IN, LOGGED_OUT
    }

    @TempDir
    Path home;
    FakeGateway gateway;
    CliRunner cli;

    private final Start start;

    CliTestBase() {
        this(Start.LOGGED_IN);
    }

    CliTestBase(Start start) {
        this.start = start;
    }

    @BeforeEach
    final void startGateway() throws IOException {
        gateway = new FakeGateway();
        cli = new CliRunner(home, gateway);
        if (start == Start.LOGGED_IN) {
            cli.loggedIn();
        }
    }

    @AfterEach
    final void stopGateway() {
        gateway.close();
    }
}
