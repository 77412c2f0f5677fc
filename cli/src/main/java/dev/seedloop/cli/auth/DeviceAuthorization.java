package dev.seedloop.cli.auth;

/**
 * The answer of a device authorization endpoint (RFC 8628 section 3.2): what the user must open and
 * type, and how the CLI polls meanwhile.
 *
 * @param verificationUriComplete the URI with the code filled in; null when the issuer gives none
 * @param intervalSeconds         the minimum wait between polls (5 when the issuer does not say)
 */
public record DeviceAuthorization(String deviceCode, String userCode, String verificationUri,
                                  String verificationUriComplete, long expiresInSeconds, long intervalSeconds) {
}
