package dev.seedloop.testsupport;

import java.util.Map;

import dev.seedloop.infra.KeycloakServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test's OIDC at the JVM-wide Keycloak of {@link SharedInfrastructure}, whose
 * {@code seedloop} realm comes from {@code deploy/keycloak/seedloop-realm.json}.
 *
 * <p>Sets {@code quarkus.oidc.auth-server-url} to the realm's issuer and {@code quarkus.oidc.client-id}
 * to {@code seedloop-gateway}. Get tokens for the realm's users with {@link Tokens}.
 *
 * <p>{@link #stop()} leaves the server running: it belongs to the JVM, not to one test class.
 */
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String GATEWAY_CLIENT_ID = "seedloop-gateway";

    @Override
    public Map<String, String> start() {
        KeycloakServer keycloak = SharedInfrastructure.keycloak();
        return Map.of(
                "quarkus.oidc.auth-server-url", keycloak.issuer(),
                "quarkus.oidc.client-id", GATEWAY_CLIENT_ID);
    }

    @Override
    public void stop() {
        // The shared server is stopped by SharedInfrastructure's shutdown hook.
    }
}
