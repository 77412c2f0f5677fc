package dev.seedloop.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeycloakServerTest {

    @TempDir
    Path dataDir;

    @Test
    void issuesTokensWithAudienceTeamAndRolesAndLeavesNoProcess() {
        Path realm = KeycloakServer.findRealmFile();
        List<Long> pids = new ArrayList<>();

        long t0 = System.nanoTime();
        int port;
        try (KeycloakServer server = KeycloakServer.start(dataDir, 0, realm)) {
            long firstMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("[KeycloakServerTest] first start (fresh data dir, realm import) took " + firstMs + " ms");
            port = server.port();
            Loopback.assertLoopbackOnly("Keycloak's HTTP port", port);
            Loopback.assertLoopbackOnly("Keycloak's management port", server.managementPort());
            pids.add(server.pid());
            pids.addAll(server.descendantPids());
            assertEquals("http://127.0.0.1:" + port + "/realms/seedloop", server.issuer());

            String token = server.passwordGrantToken("seedloop-cli", "alice-researcher", "alice-researcher-pw");
            String payload = payload(token);
            assertEquals(server.issuer(), stringClaim(payload, "iss"), payload);
            assertTrue(arrayClaim(payload, "aud").contains("seedloop-gateway"), payload);
            assertEquals("team-a", stringClaim(payload, "team"), payload);
            assertEquals("seedloop-cli", stringClaim(payload, "azp"), payload);
            assertTrue(arrayClaim(payload, "roles").contains("researcher"), "realm_access.roles in " + payload);
            assertFalse(arrayClaim(payload, "roles").contains("admin"), payload);

            String bob = payload(server.passwordGrantToken("seedloop-cli", "bob-approver", "bob-approver-pw"));
            assertEquals("team-b", stringClaim(bob, "team"), bob);
            assertTrue(arrayClaim(bob, "roles").contains("approver"), bob);

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> server.passwordGrantToken("seedloop-cli", "alice-researcher", "wrong"));
            assertTrue(refused.getMessage().contains("invalid_grant"), refused.getMessage());
            assertTrue(refused.getMessage().contains("alice-researcher"), refused.getMessage());
        }
        assertGone(pids);

        // Second start on the same directory: no build, no import, same users.
        pids.clear();
        long t1 = System.nanoTime();
        try (KeycloakServer server = KeycloakServer.start(dataDir, port, realm)) {
            long secondMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
            System.out.println("[KeycloakServerTest] second start (same data dir) took " + secondMs + " ms");
            pids.add(server.pid());
            pids.addAll(server.descendantPids());
            assertEquals(port, server.port());
            String payload = payload(server.passwordGrantToken("seedloop-cli", "alice-admin", "alice-admin-pw"));
            assertTrue(arrayClaim(payload, "roles").contains("admin"), payload);
        }
        assertGone(pids);
    }

    private static void assertGone(List<Long> pids) {
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still running");
        }
    }

    private static String payload(String jwt) {
        String[] parts = jwt.split("\\.");
        assertEquals(3, parts.length, "not a JWT: " + jwt);
        return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    }

    private static String stringClaim(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    /** The strings of a JSON array claim (or a single string claim, as aud can be). */
    private static List<String> arrayClaim(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\[[^\\]]*\\]|\"[^\"]*\")").matcher(json);
        List<String> values = new ArrayList<>();
        if (m.find()) {
            Matcher s = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
            while (s.find()) {
                values.add(s.group(1));
            }
        }
        return values;
    }
}
