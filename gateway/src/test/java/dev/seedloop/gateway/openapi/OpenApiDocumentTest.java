package dev.seedloop.gateway.openapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * What a client generator needs of the served OpenAPI document that the linter does not check (gateway/README.md,
 * "OpenAPI rules"): ids, descriptions, problem+json 4xx answers, servers, and security that matches the endpoints.
 * Every violation is collected, so one run names all of them.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class OpenApiDocumentTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
            "trace");
    /** The operations whose endpoints are {@code @PermitAll}: only these may be open. */
    private static final Set<String> OPEN = Set.of("GET /api/v1/auth");

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void everyOperationHasAnIdADescriptionSuccessAndProblemJson4xxAnswers() {
        JsonPath document = servedDocument();
        List<String> violations = new ArrayList<>();
        Map<String, String> operationIds = new HashMap<>();
        forEachOperation(document, (name, operation) -> {
            Object id = operation.get("operationId");
            if (!(id instanceof String text) || text.isBlank()) {
                violations.add(name + ": no operationId");
            } else if (operationIds.putIfAbsent(text, name) != null) {
                violations.add(name + ": operationId '" + text + "' is also " + operationIds.get(text) + "'s");
            }
            if (blank(operation.get("summary")) || blank(operation.get("description"))) {
                violations.add(name + ": needs both a summary and a description");
            }
            if (!(operation.get("tags") instanceof List<?> tags) || tags.isEmpty()) {
                violations.add(name + ": no tag");
            }
            Map<String, Object> responses = map(operation.get("responses"));
            if (responses.keySet().stream().noneMatch(status -> status.startsWith("2"))) {
                violations.add(name + ": no 2xx response");
            }
            List<String> clientErrors = responses.keySet().stream().filter(status -> status.startsWith("4")).toList();
            if (clientErrors.isEmpty()) {
                violations.add(name + ": no 4xx response");
            }
            responses.forEach((status, response) -> {
                if ((status.startsWith("4") || status.startsWith("5"))
                        && !isProblemJson(document, map(response))) {
                    violations.add(name + ": response " + status + " is not application/problem+json with the"
                            + " Problem schema");
                }
            });
        });
        assertThat(violations).as("operations breaking the OpenAPI rules of gateway/README.md").isEmpty();
        assertThat(operationIds).as("operations found").hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void openOperationsDeclareNoSecurityAndTheRestRequireTheBearerScheme() {
        JsonPath document = servedDocument();
        assertThat(document.getMap("components.securitySchemes")).as("declared schemes").containsOnlyKeys("bearer");
        assertThat(document.getMap("components.securitySchemes.bearer"))
                .containsEntry("type", "http").containsEntry("scheme", "bearer");
        List<Map<String, Object>> required = document.getList("security");
        assertThat(required).as("the document's default security").containsExactly(Map.of("bearer", List.of()));
        List<String> violations = new ArrayList<>();
        forEachOperation(document, (name, operation) -> {
            Object security = operation.get("security");
            if (OPEN.contains(name)) {
                if (!List.of().equals(security)) {
                    violations.add(name + " is open but declares security " + security + " instead of []");
                }
            } else {
                if (!List.of(Map.of("bearer", List.of())).equals(security)) {
                    violations.add(name + " requires a token but declares security " + security);
                }
                Map<String, Object> responses = map(operation.get("responses"));
                if (!responses.containsKey("401") || !responses.containsKey("403")) {
                    violations.add(name + " requires a token but does not document 401 and 403");
                }
            }
        });
        assertThat(violations).isEmpty();
    }

    @Test
    void theDocumentNamesItsServers() {
        List<Map<String, Object>> servers = servedDocument().getList("servers");
        assertThat(servers).isNotEmpty();
        assertThat(servers).allSatisfy(server -> assertThat((String) server.get("url")).startsWith("http"));
    }

    @Test
    void theOpenOperationReallyIsOpenAndReallyAnswersTheDocumented406() {
        given().when().get("/api/v1/auth").then().statusCode(200);
        given().accept("text/csv").when().get("/api/v1/auth")
                .then().statusCode(406).contentType(PROBLEM_JSON).body("status", equalTo(406));
    }

    @Test
    void aBodyOfAnUnsupportedMediaTypeReallyIsAnswered415AsAProblem() {
        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("image/png").body(new byte[] {1, 2, 3})
                .when().post("/api/v1/studies")
                .then().statusCode(415).contentType(PROBLEM_JSON).body("status", equalTo(415));
    }

    static JsonPath servedDocument() {
        return given().accept("application/json").queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
    }

    private static void forEachOperation(JsonPath document,
            java.util.function.BiConsumer<String, Map<String, Object>> check) {
        Map<String, Object> paths = document.getMap("paths");
        assertThat(paths).isNotEmpty();
        paths.forEach((path, item) -> map(item).forEach((method, operation) -> {
            if (METHODS.contains(method)) {
                check.accept(method.toUpperCase() + " " + path, map(operation));
            }
        }));
    }

    /** Inline, or a reference to a shared response; either way problem+json with the Problem schema. */
    private static boolean isProblemJson(JsonPath document, Map<String, Object> response) {
        Object ref = response.get("$ref");
        if (ref instanceof String pointer) {
            String prefix = "#/components/responses/";
            if (!pointer.startsWith(prefix)) {
                return false;
            }
            response = map(document.getMap("components.responses").get(pointer.substring(prefix.length())));
        }
        Map<String, Object> content = map(response.get("content"));
        Map<String, Object> problem = map(map(content.get(PROBLEM_JSON)).get("schema"));
        return content.size() == 1 && "#/components/schemas/Problem".equals(problem.get("$ref"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static boolean blank(Object value) {
        return !(value instanceof String text) || text.isBlank();
    }
}
