package dev.seedloop.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A JDK HTTP server standing in for the gateway and for Keycloak (issuer {@code <base>/realms/seedloop}):
 * routes by method and path, records every request. Serves discovery documents out of the box.
 */
final class FakeGateway implements AutoCloseable {

    /** One recorded request; {@code bytes} is its body as sent (binary uploads), {@code body} the same as UTF-8. */
    record Request(String method, String path, String query, Headers headers, String body, byte[] bytes) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** What a route answers with; handlers may also write the exchange themselves (streams). */
    @FunctionalInterface
    interface Route {
        void handle(Request request, HttpExchange exchange) throws IOException;
    }

    /**
     * Thrown by a route to drop the connection as it stands: the exchange is not closed (closing would end a chunked
     * body properly), so the JDK server closes the socket, as a gateway that breaks off a response does.
     */
    static final class Drop extends IOException {
        Drop() {
            super("connection dropped on purpose");
        }
    }

    private final HttpServer server;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::dispatch);
        server.start();
        json("GET", "/api/v1/auth", 200, "{\"issuer\":\"" + issuer() + "\",\"cliClientId\":\"seedloop-cli\","
                + "\"audience\":\"seedloop-gateway\"}");
        json("GET", "/realms/seedloop/.well-known/openid-configuration", 200, "{\"issuer\":\"" + issuer()
                + "\",\"token_endpoint\":\"" + tokenEndpoint() + "\",\"device_authorization_endpoint\":\""
                + issuer() + "/protocol/openid-connect/auth/device\"}");
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String issuer() {
        return url() + "/realms/seedloop";
    }

    String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    void route(String method, String path, Route route) {
        routes.put(method + " " + path, route);
    }

    /** A fixed JSON answer ({@code application/problem+json} for errors). */
    void json(String method, String path, int status, String body) {
        route(method, path, (request, exchange) -> respond(exchange, status, body, Map.of()));
    }

    List<Request> requestsTo(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    static void respond(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json"
                : "application/json");
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(),
                new String(bytes, StandardCharsets.UTF_8), bytes);
        requests.add(request);
        Route route = routes.get(request.method() + " " + request.path());
        try {
            if (route == null) {
                respond(exchange, 404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no route "
                        + request.path() + "\"}", Map.of());
            } else {
                route.handle(request, exchange);
            }
        } catch (Drop drop) {
            throw drop;
        } catch (IOException | RuntimeException e) {
            exchange.close();
            throw e;
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
