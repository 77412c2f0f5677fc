package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.cli.auth.Credentials;
import dev.seedloop.cli.auth.TokenStore;

class TokenStoreTest {

    @TempDir
    Path temp;

    private static final Credentials CREDENTIALS = new Credentials("http://127.0.0.1:8080",
            "http://127.0.0.1:8180/realms/seedloop", "seedloop-cli", "http://127.0.0.1:8180/token", "alice",
            "team-a", "access", Instant.parse("2026-11-28T12:15:00Z"), "refresh", null);

    @Test
    void theFileIsOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        TokenStore store = new TokenStore(temp.resolve("home"));

        store.save(CREDENTIALS);

        assertThat(permissions(store.file())).isEqualTo("rw-------");
        assertThat(permissions(store.file().getParent())).isEqualTo("rwx------");
        assertThat(store.load()).contains(CREDENTIALS);
    }

    @Test
    void aSaveReplacesAFileThatWasReadableByOthers() throws Exception {
        TokenStore store = new TokenStore(temp);
        Files.writeString(store.file(), "{}");
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));

        store.save(CREDENTIALS);

        assertThat(permissions(store.file())).isEqualTo("rw-------");
        try (var files = Files.list(temp)) {
            assertThat(files).containsExactly(store.file());
        }
    }

    @Test
    void deleteForgetsAndSaysWhetherThereWasAnything() {
        TokenStore store = new TokenStore(temp);
        store.save(CREDENTIALS);

        assertThat(store.delete()).isTrue();
        assertThat(store.load()).isEmpty();
        assertThat(store.delete()).isFalse();
    }

    @Test
    void credentialsLiveInTheConfigDirectoryNeverInTheStacksHome() {
        assertThat(TokenStore.fromEnvironment(Map.of("SEEDLOOP_CONFIG_DIR", "/c/d", "SEEDLOOP_HOME", "/x/y")).file())
                .isEqualTo(Path.of("/c/d/credentials.json"));
        assertThat(TokenStore.fromEnvironment(Map.of("XDG_CONFIG_HOME", "/xdg", "SEEDLOOP_HOME", "/x/y")).file())
                .isEqualTo(Path.of("/xdg/seedloop/credentials.json"));
        assertThat(TokenStore.fromEnvironment(Map.of("SEEDLOOP_HOME", "/x/y")).file())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "seedloop", "credentials.json"));
        assertThat(TokenStore.fromEnvironment(Map.of("SEEDLOOP_CONFIG_DIR", " ", "XDG_CONFIG_HOME", "")).file())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "seedloop", "credentials.json"));
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
