package dev.seedloop.cli.auth;

/**
 * The issuer's endpoints the CLI uses, from {@code {issuer}/.well-known/openid-configuration}.
 *
 * @param deviceAuthorizationEndpoint null when the issuer does not offer the device grant
 */
public record OidcEndpoints(String issuer, String tokenEndpoint, String deviceAuthorizationEndpoint) {
}
