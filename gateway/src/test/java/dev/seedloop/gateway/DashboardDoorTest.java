package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.SharedInfrastructure;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.RedirectConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The dashboard's door against the real Keycloak, without a browser: the page sends a browser to the realm's
 * dashboard client with a PKCE challenge, a user who logs in there gets a session whose access token the API takes
 * like any other, the page's files need no session, and the session door takes no bearer token. The browser tests
 * (system-tests DashboardIT) drive the same flow in Chromium.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DashboardDoorTest {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

    private static final String LOOPBACK = "http://127.0.0.1";

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void thePageSendsABrowserToTheDashboardClientWithAnS256Challenge() {
        Response answer = given().baseUri(LOOPBACK).redirects().follow(false).when().get("/dashboard/");

        assertThat(answer.statusCode()).isEqualTo(302);
        URI login = URI.create(answer.header("Location"));
        Map<String, String> query = query(login);
        assertThat(login.toString()).startsWith(SharedInfrastructure.keycloak().issuer() + "/protocol/openid-connect/auth");
        assertThat(query).containsEntry("client_id", "seedloop-dashboard")
                .containsEntry("response_type", "code")
                .containsEntry("code_challenge_method", "S256");
        assertThat(query.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(query.get("redirect_uri")).startsWith("http://127.0.0.1:").endsWith("/dashboard/");
    }

    @Test
    void aUserWhoLogsInGetsASessionWhoseAccessTokenTheApiTakes() {
        RestAssured.config = RestAssured.config().redirect(RedirectConfig.redirectConfig().followRedirects(false));
        try {
            Map<String, String> gatewayCookies = new HashMap<>();
            // The local realm lets the login come back to 127.0.0.1 only, as a browser would open the page.
            Response toKeycloak = given().baseUri(LOOPBACK).when().get("/dashboard/");
            gatewayCookies.putAll(toKeycloak.cookies());
            // The addresses come encoded already: sent as they are.
            Response form = given().urlEncodingEnabled(false).when().get(toKeycloak.header("Location"));
            Matcher action = FORM_ACTION.matcher(form.body().asString());
            assertThat(action.find()).as("Keycloak's login form in %s", form.body().asString()).isTrue();
            Response back = given().urlEncodingEnabled(false).cookies(form.cookies())
                    .formParam("username", "alice-viewer").formParam("password", "alice-viewer-pw")
                    .when().post(action.group(1).replace("&amp;", "&"));
            assertThat(back.statusCode()).isEqualTo(302);
            assertThat(back.header("Location")).contains("/dashboard/").contains("code=");

            Response landed = given().urlEncodingEnabled(false).cookies(gatewayCookies).when()
                    .get(back.header("Location"));
            gatewayCookies.putAll(landed.cookies());
            JsonPath session = given().baseUri(LOOPBACK).cookies(gatewayCookies).accept("application/json")
                    .when().get("/dashboard/session")
                    .then().statusCode(200).header("Cache-Control", containsString("no-store"))
                    .extract().jsonPath();

            assertThat(session.getString("username")).isEqualTo("alice-viewer");
            assertThat(session.getString("team")).isEqualTo("team-a");
            assertThat(session.getList("roles", String.class)).contains("viewer")
                    .doesNotContain("researcher", "approver", "admin");
            // Authenticated and answered by the artifact store (no learner needed): a tree the team does not own.
            given().auth().oauth2(session.getString("accessToken"))
                    .when().get("/api/v1/workspaces/sha256:" + "0".repeat(64))
                    .then().statusCode(404).contentType("application/problem+json");
        } finally {
            RestAssured.reset();
            RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        }
    }

    @Test
    void theSessionDoorTakesNoBearerToken() {
        given().redirects().follow(false).auth().oauth2(Tokens.reused("alice-viewer"))
                .when().get("/dashboard/session")
                .then().statusCode(org.hamcrest.Matchers.not(200));
    }

    @Test
    void thePageFilesAndChartingLibraryLoadWithoutASession() {
        for (String path : new String[] {"/dashboard/assets/app.js", "/dashboard/assets/study.js",
                "/webjars/echarts/5.3.1/dist/echarts.min.js", "/webjars/js-yaml/4.1.0/dist/js-yaml.mjs"}) {
            given().redirects().follow(false).when().get(path).then().statusCode(200);
        }
    }

    @Test
    void thePageMayRunOnlyItsOwnScripts() {
        given().redirects().follow(false).when().get("/dashboard/assets/app.js")
                .then().header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            values.put(java.net.URLDecoder.decode(pair.substring(0, equals), java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(equals + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        return values;
    }
}
